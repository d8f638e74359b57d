# Checks that the files of src/ keep to the layers of src/CMakeLists.txt.
#
#   cmake -DSOURCE_DIR=<repository> -DLAYERS_FILE=<build>/tim_layers.cmake
#         [-DNM=<nm>] -P check_layers.cmake
#
# 1. Includes. A file of src/LAYER/ may include, with quotes, a header of
#    its own layer, of a layer LAYER uses (src/CMakeLists.txt, LAYERS), or
#    of the public API ("tim/searcher.h"), always written relative to src/
#    ("text/analyzer.h"); the data files CMake generates ("*.inc"). Layers
#    declared NO_XAPIAN include no Xapian header, ICU_MACROS_ONLY layers no
#    ICU header but its UTF-8/16 macros.
# 2. Symbols (with NM): every symbol a layer's archive needs from another
#    layer's archive is defined in a layer it uses, so that it would link
#    alone with what it declares.
# Each breach is printed as "file: includes X, ..." or "archive: needs
# symbol ..."; any breach fails the test.
cmake_minimum_required(VERSION 3.22)
include(${LAYERS_FILE})

set(problems)
function(breach)
  string(CONCAT message ${ARGN})
  list(APPEND problems "${message}")
  set(problems "${problems}" PARENT_SCOPE)
endfunction()

# --- 1. Includes -----------------------------------------------------------
foreach(layer IN LISTS TIM_LAYERS)
  set(may_use ${layer} ${TIM_USES_${layer}})
  file(GLOB_RECURSE files RELATIVE ${SOURCE_DIR}/src
       ${SOURCE_DIR}/src/${layer}/*.h ${SOURCE_DIR}/src/${layer}/*.cc)
  foreach(file IN LISTS files)
    file(STRINGS ${SOURCE_DIR}/src/${file} lines REGEX "^[ \t]*#[ \t]*include")
    foreach(line IN LISTS lines)
      if(line MATCHES "include[ \t]*\"([^\"]+)\"")
        set(header ${CMAKE_MATCH_1})
        if(header MATCHES "^tim/" OR header MATCHES "\\.inc$")
          continue()
        endif()
        string(REGEX MATCH "^[^/]+" folder "${header}")
        if(NOT header MATCHES "/" OR NOT folder IN_LIST TIM_LAYERS
           OR NOT EXISTS ${SOURCE_DIR}/src/${header})
          breach("src/${file}: includes \"${header}\", which is not a header "
                 "of src/ written from src/ (\"text/analyzer.h\")")
        elseif(NOT folder IN_LIST may_use)
          if(TIM_USES_${layer})
            string(REPLACE ";" ", " allowed "${TIM_USES_${layer}}")
          else()
            set(allowed "none")
          endif()
          breach("src/${file}: includes \"${header}\", but layer ${layer} may "
                 "not use layer ${folder} (it may use: ${allowed}, by "
                 "src/CMakeLists.txt)")
        endif()
      elseif(line MATCHES "include[ \t]*<([^>]+)>")
        set(header ${CMAKE_MATCH_1})
        if(TIM_NO_XAPIAN_${layer} AND header MATCHES "^xapian")
          breach("src/${file}: includes <${header}>, but layer ${layer} "
                 "may not use Xapian")
        endif()
        if(TIM_ICU_MACROS_ONLY_${layer} AND header MATCHES "^unicode/"
           AND NOT header MATCHES "^unicode/utf(8|16)?\\.h$")
          breach("src/${file}: includes <${header}>, but layer ${layer} may "
                 "use only ICU's UTF-8/16 macros (<unicode/utf8.h>)")
        endif()
      endif()
    endforeach()
  endforeach()
endforeach()

# --- 2. Symbols ------------------------------------------------------------
# nm -P prints "name type value size"; T, D, B and R are the strong
# definitions (weak ones, W and V, are inline code every user may carry).
macro(read_symbols layer which out)
  execute_process(COMMAND ${NM} -P -g ${which} ${TIM_ARCHIVE_${layer}}
                  OUTPUT_VARIABLE text RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "${NM} failed on ${TIM_ARCHIVE_${layer}}")
  endif()
  string(REGEX MATCHALL "[^\n]+" ${out} "${text}")
endmacro()

if(NM)
  foreach(layer IN LISTS TIM_LAYERS)
    if(NOT TIM_ARCHIVE_${layer})
      continue()
    endif()
    read_symbols(${layer} --defined-only defined)
    foreach(line IN LISTS defined)
      if(line MATCHES "^([^ ]+) [TDBR] ")
        set("defined_in_${CMAKE_MATCH_1}" ${layer})
      endif()
    endforeach()
  endforeach()
  foreach(layer IN LISTS TIM_LAYERS)
    if(NOT TIM_ARCHIVE_${layer})
      continue()
    endif()
    set(may_use ${layer} ${TIM_USES_${layer}})
    read_symbols(${layer} --undefined-only needed)
    foreach(line IN LISTS needed)
      if(NOT line MATCHES "^([^ ]+) U")
        continue()
      endif()
      set(owner "${defined_in_${CMAKE_MATCH_1}}")
      if(owner AND NOT owner IN_LIST may_use)
        breach("src/${layer} (${TIM_ARCHIVE_${layer}}): needs symbol "
               "${CMAKE_MATCH_1} of layer ${owner}, which it may not use "
               "(src/CMakeLists.txt)")
      endif()
    endforeach()
  endforeach()
endif()

if(problems)
  list(REMOVE_DUPLICATES problems)
  list(LENGTH problems count)
  string(REPLACE ";" "\n" text "${problems}")
  message(FATAL_ERROR "${count} breach(es) of the layering:\n${text}")
endif()
message(STATUS "src/ keeps to its layers: ${TIM_LAYERS}")

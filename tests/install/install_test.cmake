# Installs the build tree into a fresh prefix, then builds and runs a small
# program against it both ways: CMake's find_package(tim) and pkg-config.
# Run with -DBUILD_DIR= -DSOURCE_DIR= -DWORK_DIR= -DCXX= [-DMAN_PAGES=ON]
# [-DSONAME=libtim.so.X.Y]. With SONAME (a TIM_SHARED build), the shared
# library must carry that SONAME, and both programs must link it, not
# libtim.a, and run with it.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out
                  ERROR_VARIABLE out)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed (${status}): ${ARGN}\n${out}")
  endif()
  message(STATUS "${out}")
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
set(expected bin/tim include/tim/searcher.h include/tim/version.h
             share/bash-completion/completions/tim)
if(MAN_PAGES)  # help2man was found
  list(APPEND expected share/man/man1/tim.1 share/man/man1/tim-search.1)
endif()
foreach(file IN LISTS expected)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "not installed: ${file}")
  endif()
endforeach()
run(${prefix}/bin/tim --version)

# With SONAME: the program `file` needs the shared library, not libtim.a.
function(check_links_shared file)
  if(SONAME)
    execute_process(COMMAND readelf -d ${file} OUTPUT_VARIABLE dynamic)
    if(NOT dynamic MATCHES "NEEDED[^\n]*\\[${SONAME}\\]")
      message(FATAL_ERROR "${file} does not link ${SONAME}:\n${dynamic}")
    endif()
  endif()
endfunction()
set(cmake_target tim::tim)
if(SONAME)
  file(GLOB libdirs ${prefix}/lib ${prefix}/lib64 ${prefix}/lib/*-linux-gnu)
  find_file(library ${SONAME} PATHS ${libdirs} NO_DEFAULT_PATH)
  find_file(link libtim.so PATHS ${libdirs} NO_DEFAULT_PATH)
  if(NOT library OR NOT link)
    message(FATAL_ERROR "not installed: ${SONAME} and libtim.so in ${libdirs}")
  endif()
  execute_process(COMMAND readelf -d ${link} OUTPUT_VARIABLE dynamic)
  if(NOT dynamic MATCHES "SONAME[^\n]*\\[${SONAME}\\]")
    message(FATAL_ERROR "libtim.so's SONAME is not ${SONAME}:\n${dynamic}")
  endif()
  set(cmake_target tim::tim_shared)
  get_filename_component(libdir ${library} DIRECTORY)
  set(ENV{LD_LIBRARY_PATH} ${libdir})  # pkg-config gives no run path
endif()

# CMake package.
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/install/consumer -B ${WORK_DIR}/cmake
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release -DTIM_TARGET=${cmake_target})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/cmake)
check_links_shared(${WORK_DIR}/cmake/consumer)
run(${WORK_DIR}/cmake/consumer ${SOURCE_DIR}/seeds ${WORK_DIR}/db-cmake)

# pkg-config.
file(GLOB pc_dirs ${prefix}/lib*/pkgconfig ${prefix}/lib/*/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "${pc_dirs}")
execute_process(COMMAND pkg-config --cflags --libs tim OUTPUT_VARIABLE flags
                RESULT_VARIABLE status OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "pkg-config finds no tim in ${pc_dirs}")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
run(${CXX} -std=c++20 ${SOURCE_DIR}/tests/install/consumer/consumer.cc ${flags}
    -o ${WORK_DIR}/consumer-pc)
check_links_shared(${WORK_DIR}/consumer-pc)
run(${WORK_DIR}/consumer-pc ${SOURCE_DIR}/seeds ${WORK_DIR}/db-pc)
file(REMOVE_RECURSE ${WORK_DIR})

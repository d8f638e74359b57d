# Installs the build tree into a fresh prefix, then builds and runs a small
# program against it both ways: CMake's find_package(tim) and pkg-config.
# Run with -DBUILD_DIR= -DSOURCE_DIR= -DWORK_DIR= -DCXX= [-DMAN_PAGES=ON].
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

# CMake package.
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/install/consumer -B ${WORK_DIR}/cmake
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/cmake)
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
run(${WORK_DIR}/consumer-pc ${SOURCE_DIR}/seeds ${WORK_DIR}/db-pc)
file(REMOVE_RECURSE ${WORK_DIR})

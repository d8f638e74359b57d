# What `cmake --install build` installs: the tim program, the library
# (libtim.a; libtim.so.MAJOR.MINOR too with TIM_SHARED), the public headers
# with the generated tim/version.h, a CMake package (find_package(tim) ->
# tim::tim), a pkg-config file (tim.pc), man pages and bash completion.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(TIM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tim)
set_target_properties(tim_lib PROPERTIES EXPORT_NAME tim)
set(TIM_EXPORTED tim_lib)
if(TIM_SHARED)
  list(APPEND TIM_EXPORTED tim_shared)
endif()
install(TARGETS tim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ${TIM_EXPORTED} EXPORT tim-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/tim ${TIM_GENERATED_INCLUDE_DIR}/tim
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT tim-targets NAMESPACE tim:: DESTINATION ${TIM_CMAKE_DIR})
configure_package_config_file(cmake/tim-config.cmake.in
  ${PROJECT_BINARY_DIR}/tim-config.cmake INSTALL_DESTINATION ${TIM_CMAKE_DIR})
# The on-disk schema, not the API, is what breaks between minor versions
# before 1.0: a consumer asks for the minor version it was written for.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/tim-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/tim-config.cmake
              ${PROJECT_BINARY_DIR}/tim-config-version.cmake
        DESTINATION ${TIM_CMAKE_DIR})

# With only the static library installed, a consumer links tim's
# dependencies itself: pkg-config lists them under Requires.
if(TIM_SHARED)
  set(TIM_PC_REQUIRES_FIELD Requires.private)
else()
  set(TIM_PC_REQUIRES_FIELD Requires)
endif()
file(RELATIVE_PATH TIM_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(cmake/tim.pc.in ${PROJECT_BINARY_DIR}/tim.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/tim.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(FILES completions/tim.bash DESTINATION
        ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME tim)

# Man pages from the program's own --help, by Debian's help2man: tim(1)
# and one page per subcommand (tim-search(1), ...), each from a wrapper
# script that runs `tim SUBCOMMAND`.
find_program(HELP2MAN help2man)
if(NOT HELP2MAN)
  message(STATUS "help2man not found: no man pages (apt-get install help2man)")
  return()
endif()
set(TIM_SUBCOMMANDS ingest delete search export similar stats show serve)
set(TIM_MAN_NAME "full-text search for Vietnamese news")
set(TIM_MAN_NAME_ingest "add articles to a tim database")
set(TIM_MAN_NAME_delete "remove articles from a tim database")
set(TIM_MAN_NAME_search "search a tim database")
set(TIM_MAN_NAME_export "write every match of a query as CSV or JSON Lines")
set(TIM_MAN_NAME_similar "articles like a given one")
set(TIM_MAN_NAME_stats "describe a tim database")
set(TIM_MAN_NAME_show "print a stored article")
set(TIM_MAN_NAME_serve "serve a JSON HTTP API and a search page")
set(man_dir ${PROJECT_BINARY_DIR}/man)
set(pages)
foreach(command "" ${TIM_SUBCOMMANDS})
  if(command STREQUAL "")
    set(page tim)
    set(name ${TIM_MAN_NAME})
    set(program $<TARGET_FILE:tim>)
  else()
    set(name ${TIM_MAN_NAME_${command}})
    set(page tim-${command})
    set(program ${man_dir}/${page})
    file(GENERATE OUTPUT ${program} CONTENT
         "#!/bin/sh\nexec \"$<TARGET_FILE:tim>\" ${command} \"$@\"\n"
         FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
                          GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  endif()
  add_custom_command(OUTPUT ${man_dir}/${page}.1
    COMMAND ${HELP2MAN} --no-info --no-discard-stderr
            --version-string=${PROJECT_VERSION}
            "--name=${name}" --output=${man_dir}/${page}.1 ${program}
    DEPENDS tim
    COMMENT "Man page ${page}(1)")
  list(APPEND pages ${man_dir}/${page}.1)
endforeach()
add_custom_target(tim_man ALL DEPENDS ${pages})
install(FILES ${pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

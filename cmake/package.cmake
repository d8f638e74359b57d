# `cpack --config build/CPackConfig.cmake` (or `cmake --build build --target
# package`): a .deb of what `cmake --install` installs, under /usr, for
# Debian 12. Its dependencies are the Debian packages of the libraries the
# program links (dpkg-shlibdeps when installed, else the list below).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tim)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "tim developers <tim@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "full-text search for Vietnamese news (library and CLI)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION text)
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)  # xz takes seconds more
find_program(DPKG_SHLIBDEPS dpkg-shlibdeps)
if(DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "libxapian30, libicu72, libzstd1, zlib1g, libstdc++6, libc6")
endif()
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/package)
include(CPack)

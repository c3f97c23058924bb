# The Debian package (`make deb`; docs/operations.md): install() rules for what a system
# installation needs, and CPack's DEB generator to wrap them. The files under packaging/ are the
# package's own: the conffile, the systemd unit and the maintainer scripts.
#
# Destinations under /etc and /lib are absolute on purpose: they are where dpkg and systemd look,
# whatever the prefix (/usr, CPack's default for DEB) of the rest.
include(GNUInstallDirs)

set(SMSGW_PACKAGING_DIR ${PROJECT_SOURCE_DIR}/packaging)

install(TARGETS smsgw RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${SMSGW_PACKAGING_DIR}/smsgw.toml DESTINATION /etc/smsgw)
install(FILES ${SMSGW_PACKAGING_DIR}/smsgw.service DESTINATION /lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/contrib/grafana/smsgw.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/smsgw/grafana)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/configuration.md
              ${PROJECT_SOURCE_DIR}/docs/operations.md ${PROJECT_SOURCE_DIR}/docs/monitoring.md
              ${PROJECT_SOURCE_DIR}/docs/deployment.md
              ${PROJECT_SOURCE_DIR}/docs/console.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# smsgw(1), written from the built binary's own --help output (every subcommand's), so the page
# cannot drift from the CLI. Compressed as Debian wants man pages (-n: no time stamp in it).
set(SMSGW_MANPAGE ${PROJECT_BINARY_DIR}/packaging/smsgw.1.gz)
add_custom_command(
  OUTPUT ${SMSGW_MANPAGE}
  COMMAND bash ${SMSGW_PACKAGING_DIR}/smsgw-manpage.sh $<TARGET_FILE:smsgw>
          ${PROJECT_BINARY_DIR}/packaging/smsgw.1 ${PROJECT_VERSION}
  COMMAND gzip -9nf ${PROJECT_BINARY_DIR}/packaging/smsgw.1
  DEPENDS smsgw ${SMSGW_PACKAGING_DIR}/smsgw-manpage.sh
  COMMENT "Writing smsgw(1) from smsgw --help"
  VERBATIM)
add_custom_target(smsgw_manpage ALL DEPENDS ${SMSGW_MANPAGE})
install(FILES ${SMSGW_MANPAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME smsgw)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "smsgw maintainers <root@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-hosted SMS gateway with a Kaleyra-compatible REST API")
# Lines under 80 columns, as Debian's control files want them.
set(CPACK_PACKAGE_DESCRIPTION
    "smsgw accepts SMS over a Kaleyra-compatible REST API, commits every accepted\n\
message to disk before answering, delivers to carriers over SMPP 3.4, follows\n\
delivery receipts and reports them through webhooks. Runs as the systemd\n\
service smsgw.service.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # smsgw_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The libraries the binary links, as dpkg-shlibdeps reads them from the binary (so the sanitizer
# build's package also names libasan8 and libubsan1). adduser: postinst creates the user.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
# Webhook receivers' certificates are checked against the system's trust store by default.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${SMSGW_PACKAGING_DIR}/debian/conffiles ${SMSGW_PACKAGING_DIR}/debian/postinst
    ${SMSGW_PACKAGING_DIR}/debian/prerm ${SMSGW_PACKAGING_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)

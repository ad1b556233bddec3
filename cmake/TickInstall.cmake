# Install + export so another CMake project can use tickrun as a library:
#
#   find_package(tickrun REQUIRED)
#   target_link_libraries(app PRIVATE tickrun::tick_nodes)
#   #include "nodes/tickrun.h"
#
# Installs the `tickrun` binary, the static area libraries, every public header (under
# include/tickrun/<area>/) and tickrunConfig.cmake / tickrunTargets.cmake.
# Include from the top-level CMakeLists.txt after the area subdirectories.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(TICK_INSTALL_LIBS tick_base tick_grammar tick_interpreter tick_kafka tick_nodes)
install(TARGETS ${TICK_INSTALL_LIBS}
        EXPORT tickrunTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tickrun)
if(TARGET tickrun)
  install(TARGETS tickrun RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
foreach(area base grammar interpreter kafka nodes)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${area}/
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tickrun/${area}
          FILES_MATCHING PATTERN "*.h")
endforeach()

install(EXPORT tickrunTargets
        NAMESPACE tickrun::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tickrun)
set(TICK_CONFIG_IN ${CMAKE_CURRENT_BINARY_DIR}/tickrunConfig.cmake.in)
file(WRITE ${TICK_CONFIG_IN} [=[
@PACKAGE_INIT@
include(CMakeFindDependencyMacro)
find_dependency(Threads)
find_dependency(absl)
find_dependency(pegtl PATHS /usr/share/pegtl/cmake)
find_dependency(tomlplusplus)
find_dependency(yaml-cpp)
find_dependency(CURL)
find_dependency(PkgConfig)
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka++ rdkafka)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
include("${CMAKE_CURRENT_LIST_DIR}/tickrunTargets.cmake")
]=])
configure_package_config_file(${TICK_CONFIG_IN}
  ${CMAKE_CURRENT_BINARY_DIR}/tickrunConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tickrun)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/tickrunConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/tickrunConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/tickrunConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tickrun)

# tick_cc_library(NAME n SRCS ... [HDRS ...] [DEPS ...])
# tick_cc_test(NAME n SRCS ... [DEPS ...])  -- a gtest binary registered with CTest
# Declarative targets in the Abseil pattern. Every target gets -Wall -Wextra -Werror.

set(TICK_WARNINGS -Wall -Wextra -Werror -Wno-missing-field-initializers)

function(tick_cc_library)
  cmake_parse_arguments(T "" "NAME" "SRCS;HDRS;DEPS" ${ARGN})
  if(T_SRCS)
    add_library(${T_NAME} STATIC ${T_SRCS} ${T_HDRS})
    target_include_directories(${T_NAME} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
                                                $<INSTALL_INTERFACE:include/tickrun>)
    target_link_libraries(${T_NAME} PUBLIC ${T_DEPS})
    target_compile_options(${T_NAME} PRIVATE ${TICK_WARNINGS})
    set_target_properties(${T_NAME} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  else()
    add_library(${T_NAME} INTERFACE ${T_HDRS})
    target_include_directories(${T_NAME} INTERFACE $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
                                                   $<INSTALL_INTERFACE:include/tickrun>)
    target_link_libraries(${T_NAME} INTERFACE ${T_DEPS})
  endif()
endfunction()

function(tick_cc_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SRCS})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gmock GTest::gtest_main)
  target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_options(${T_NAME} PRIVATE ${TICK_WARNINGS})
  target_compile_definitions(${T_NAME} PRIVATE
    TICK_SOURCE_DIR="${PROJECT_SOURCE_DIR}" TICK_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  gtest_discover_tests(${T_NAME} DISCOVERY_MODE PRE_TEST
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "${T_LABELS}")
endfunction()

# tick_cc_bench(NAME n SRCS ... DEPS ...)
function(tick_cc_bench)
  cmake_parse_arguments(T "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${T_NAME} ${T_SRCS})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} benchmark::benchmark)
  target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_options(${T_NAME} PRIVATE ${TICK_WARNINGS})
  target_compile_definitions(${T_NAME} PRIVATE TICK_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endfunction()

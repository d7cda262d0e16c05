# Helpers shared by every CMakeLists in the tree.

set(SYSTOLE_RTL_DIR "${PROJECT_SOURCE_DIR}/rtl")

# Verilator flags used for every model: fast X handling, optimisation on, lint warnings on.
set(SYSTOLE_VERILATOR_ARGS -O3 --x-assign fast --x-initial fast -Wall
    -I${SYSTOLE_RTL_DIR}/include)

# systole_warnings(<target>): -Wall -Wextra -Werror on the target's own sources only.
function(systole_warnings target)
  get_target_property(srcs ${target} SOURCES)
  foreach(src IN LISTS srcs)
    set_property(SOURCE ${src} TARGET_DIRECTORY ${target} APPEND PROPERTY COMPILE_OPTIONS ${SYSTOLE_WARNINGS})
  endforeach()
endfunction()

# systole_test(<name> SOURCES ... [LIBS ...] [LABELS ...])
# A GoogleTest executable registered with CTest through gtest_discover_tests.
function(systole_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest_main fmt::fmt)
  systole_warnings(${name})
  set(labels unit)
  if(T_LABELS)
    set(labels ${T_LABELS})
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${labels}")
endfunction()

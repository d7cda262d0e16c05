# Helpers shared by every CMakeLists in the tree.

set(SYSTOLE_RTL_DIR "${PROJECT_SOURCE_DIR}/rtl")

# Verilator flags used for every model: fast X handling, optimisation on, lint warnings on,
# assertions on (CONVENTIONS: assertions are enabled in every simulation).
set(SYSTOLE_VERILATOR_ARGS -O3 --x-assign fast --x-initial fast -Wall --assert
    -I${SYSTOLE_RTL_DIR}/include)

# systole_warnings(<target>): -Wall -Wextra -Werror on the target's own sources only.
function(systole_warnings target)
  get_target_property(srcs ${target} SOURCES)
  foreach(src IN LISTS srcs)
    set_property(SOURCE ${src} TARGET_DIRECTORY ${target} APPEND PROPERTY COMPILE_OPTIONS ${SYSTOLE_WARNINGS})
  endforeach()
endfunction()

# systole_test(<name> SOURCES ... [LIBS ...] [LABEL <label>])
# A GoogleTest executable registered with CTest through gtest_discover_tests, labelled `unit`
# unless LABEL says otherwise. One label only: gtest_discover_tests flattens a list value; add
# more labels with the directory's LABELS property.
function(systole_test name)
  cmake_parse_arguments(T "" "LABEL" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest_main fmt::fmt)
  systole_warnings(${name})
  set(label unit)
  if(T_LABEL)
    set(label ${T_LABEL})
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${label})
endfunction()

# systole_verilate(<target> PREFIX V<block>_<cfg> <other verilate() arguments>...)
# verilate() for a target made by systole_test(). The generated model sources are added after
# systole_warnings() ran, so they build without -Werror; the Verilator runtime headers and the
# generated headers are made SYSTEM include directories so that test sources including them keep
# -Wall -Wextra -Werror (verilated_types.h alone has unused parameters under -Wextra).
function(systole_verilate target)
  cmake_parse_arguments(V "" "PREFIX;DIRECTORY" "" ${ARGN})
  if(NOT V_PREFIX)
    message(FATAL_ERROR "systole_verilate(${target}): PREFIX is required (one per configuration)")
  endif()
  verilate(${target} ${ARGN})
  get_target_property(bin_dir ${target} BINARY_DIR)
  set(vdir "${bin_dir}/CMakeFiles/${target}.dir/${V_PREFIX}.dir")  # verilate()'s default
  if(V_DIRECTORY)
    set(vdir "${V_DIRECTORY}")
  endif()
  target_include_directories(${target} SYSTEM PRIVATE
    "${VERILATOR_ROOT}/include" "${VERILATOR_ROOT}/include/vltstd" "${vdir}")
endfunction()

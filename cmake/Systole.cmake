# Helpers shared by every CMakeLists in the tree.

set(SYSTOLE_RTL_DIR "${PROJECT_SOURCE_DIR}/rtl")

# Verilator flags used for every model: fast X handling, optimisation on, lint warnings on,
# assertions on (docs/conventions.md: assertions are on in every simulation).
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

# chip_verilate(<target> PREFIX <p> <verilate() arguments>...): verilate() (at configure time, for
# the small AXI benches of verif/axi) without the runtime sources verilate() adds to every target (the
# shared one is linked instead), the generated headers as SYSTEM includes (our sources keep
# -Werror, see systole_verilate).
function(chip_verilate target)
  cmake_parse_arguments(V "" "PREFIX" "" ${ARGN})
  verilate(${target} PREFIX ${V_PREFIX} ${V_UNPARSED_ARGUMENTS})
  get_target_property(srcs ${target} SOURCES)
  list(FILTER srcs EXCLUDE REGEX "^${VERILATOR_ROOT}/include/.*\\.cpp$")
  set_property(TARGET ${target} PROPERTY SOURCES ${srcs})
  get_target_property(bin_dir ${target} BINARY_DIR)
  target_include_directories(${target} SYSTEM PUBLIC "${bin_dir}/CMakeFiles/${target}.dir/${V_PREFIX}.dir")
  target_link_libraries(${target} PUBLIC systole_verilated)
endfunction()

# -G<param>=<value> of configuration <cfg> into <out> (the chip parameters CHIP_PARAMS).
function(chip_gparams out cfg)
  set(g)
  foreach(p IN LISTS CHIP_PARAMS)
    string(JSON v GET "${SYSTOLE_CONFIGS_JSON}" ${cfg} ${p})
    list(APPEND g -G${p}=${v})
  endforeach()
  set(${out} ${g} PARENT_SCOPE)
endfunction()

# systole_rtl_files(<out> <block or list.f>...): the files of rtl/<block>/<block>.f for each block
# (or of the given .f path, for the simulation-only lists under verif/), expanded
# (the lists a block includes first, each file once, dependency order) by scripts/rtl_files.py,
# the one reader of the file lists besides Verilator. CMake re-configures when a list read changes.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
function(systole_rtl_files out)
  set(all)
  foreach(block IN LISTS ARGN)
    if(block MATCHES "\\.f$")
      set(list_file ${block})
    else()
      set(list_file ${SYSTOLE_RTL_DIR}/${block}/${block}.f)
    endif()
    foreach(what files lists)
      set(flag)
      if(what STREQUAL "lists")
        set(flag --lists)
      endif()
      execute_process(COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/rtl_files.py ${flag} ${list_file}
                      OUTPUT_VARIABLE text ERROR_VARIABLE err RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR "RTL file list ${list_file}: ${err}")
      endif()
      string(REPLACE "\n" ";" ${what} "${text}")
    endforeach()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${lists})
    list(APPEND all ${files})
  endforeach()
  list(REMOVE_DUPLICATES all)
  set(${out} ${all} PARENT_SCOPE)
endfunction()

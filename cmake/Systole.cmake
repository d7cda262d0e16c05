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

# ---- Verilated models ---------------------------------------------------------------------------
# configs/configs.json, read once here (SYSTOLE_CONFIGS_JSON): the parameters of every Verilated
# model. C++ reads the same values through golden::Config::by_name (test_configs checks that the
# two agree).
file(READ ${PROJECT_SOURCE_DIR}/configs/configs.json SYSTOLE_CONFIGS_JSON)
set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${PROJECT_SOURCE_DIR}/configs/configs.json)
find_program(SYSTOLE_VERILATOR verilator REQUIRED)

# chip_gparams(<out> <cfg>): -G<key>=<value> for every key of configuration <cfg> in
# configs/configs.json (chip_top takes them all): what systole_verilated_model passes without
# PARAMS, and for a recipe of its own (verif/netlist's lock-step chip).
function(chip_gparams out cfg)
  string(JSON cfg_json ERROR_VARIABLE err GET "${SYSTOLE_CONFIGS_JSON}" ${cfg})
  if(err)
    message(FATAL_ERROR "chip_gparams: no configuration '${cfg}' in configs/configs.json")
  endif()
  string(JSON n LENGTH "${cfg_json}")
  math(EXPR last "${n} - 1")
  set(g)
  foreach(i RANGE ${last})
    string(JSON key MEMBER "${cfg_json}" ${i})
    string(JSON v GET "${cfg_json}" ${key})
    list(APPEND g -G${key}=${v})
  endforeach()
  set(${out} ${g} PARENT_SCOPE)
endfunction()

# systole_verilated_model(<class> TOP <module> SOURCES <file>... [CONFIG <cfg>] [PARAMS <param>...]
#                         [TRACE] [COVERAGE] [OPT_FAST <flag>] [OPT_SLOW <flag>]
#                         [VERILATOR_ARGS <arg>...] [NO_MODEL_DEFINITIONS])
# The one way a top is Verilated: the chip's models (sim/) and every block bench (verif/). <class>
# is the model's C++ class (Verilator's --prefix, `V<block>_<cfg>`) and the name of the library to
# link. A target that links it gets exactly
#   SYSTOLE_MODEL=<class>             using Model = SYSTOLE_MODEL;
#   SYSTOLE_MODEL_HEADER="<class>.h"  #include SYSTOLE_MODEL_HEADER
#   SYSTOLE_MODEL_ROOT_HEADER         its root class (signals marked verilator public_flat_rd)
#   SYSTOLE_MODEL_CONFIG="<cfg>"      golden::Config::by_name(SYSTOLE_MODEL_CONFIG) (with CONFIG only)
# plus the VM_TRACE, VM_TRACE_FST, VM_TRACE_VCD, VM_COVERAGE and VM_SC the Verilator headers need,
# the generated headers as SYSTEM includes (so sources including them keep -Wall -Wextra -Werror),
# the model's archive and the shared Verilator runtime `systole_verilated` (sim/), so one binary
# can hold several models. Every other parameter a bench needs it reads at run time from
# golden::Config, not from the build. The definitions are the same names for every model, so a
# target compiles against ONE model; a library wrapping a model links it PRIVATE (static
# libraries pass the archive on for linking, not the definitions), which is how systole_rtl holds
# the three chip models. NO_MODEL_DEFINITIONS leaves the three SYSTOLE_MODEL* out, for the one
# bench that runs one test suite over several models of a top without a configuration in one
# binary and names their classes itself (test_stream_fork: 1, 2 and 3 ports).
#
# Parameters (-G): PARAMS lists the top's parameters, each a key of configuration CONFIG in
# configs/configs.json (`Partitions`: its value there) or `Name=value` given explicitly. Without
# PARAMS, CONFIG passes every key of the configuration (chip_top takes them all); a top with
# fewer parameters lists its own, since Verilator rejects a -G the top does not have. A model that
# is not a named configuration passes explicit values: the AXI arbiter benches (CONFIG <cfg> for
# SYSTOLE_MODEL_CONFIG, PARAMS NMst=<DmaQueues + 1> AxiDataBits) and the protocol checkers (no
# CONFIG, PARAMS IdBits=4 ...; no SYSTOLE_MODEL_CONFIG then).
#
# TRACE compiles FST tracing in (--trace-fst, VM_TRACE_FST=1: SimController writes $SYSTOLE_TRACE);
# COVERAGE line and toggle coverage (--coverage-line --coverage-toggle, VM_COVERAGE=1). Verilator
# runs with SYSTOLE_VERILATOR_ARGS then VERILATOR_ARGS (so `-Wno-fatal` there makes lint warnings
# non-fatal); the model's C++ is compiled at OPT_FAST (per-cycle code, default -O2) and OPT_SLOW
# (construction, default -O1).
#
# Verilated at BUILD time by Verilator's own makefile (verilator --cc --build), not by Verilator's
# CMake verilate() at configure time: rtl/ is edited by several people at once, and
#  - verilate() fixes the list of generated C++ files at configure time; when an RTL edit makes
#    Verilator emit other file names, the build compiles stale files and fails until the next
#    configure. Verilator's makefile reads the list it has just generated, so any edit builds in
#    one `cmake --build`.
#  - A configure must not run Verilator on someone's half-written RTL (nor spend a minute on every
#    model each time); broken RTL fails only the targets of the models that use it.
# The archive is deleted before each run: `ar -rcs` would otherwise keep members of files
# Verilator no longer generates. Verilator's makefile compiles through ccache (OBJCACHE) and one
# job per model (the models build side by side under `cmake --build -j`). The full command is kept
# in <class>/<class>.cmd, rewritten only when it changes, so a changed flag (-G, TRACE, OPT_*)
# re-Verilates.
function(systole_verilated_model cls)
  cmake_parse_arguments(M "TRACE;COVERAGE;NO_MODEL_DEFINITIONS" "TOP;CONFIG;OPT_FAST;OPT_SLOW"
                        "SOURCES;PARAMS;VERILATOR_ARGS" ${ARGN})
  if(M_UNPARSED_ARGUMENTS OR NOT M_TOP OR NOT M_SOURCES)
    message(FATAL_ERROR "systole_verilated_model(${cls}): expected TOP <module> SOURCES <files...> "
                        "[CONFIG <cfg>] [PARAMS ...] [TRACE] [COVERAGE] [OPT_FAST f] [OPT_SLOW f] "
                        "[VERILATOR_ARGS ...] [NO_MODEL_DEFINITIONS]; unexpected: '${M_UNPARSED_ARGUMENTS}'")
  endif()
  if(NOT M_OPT_FAST)
    set(M_OPT_FAST -O2)
  endif()
  if(NOT M_OPT_SLOW)
    set(M_OPT_SLOW -O1)
  endif()

  # The -G flags: configuration keys looked up in configs.json, Name=value taken as given.
  set(defs SYSTOLE_MODEL=${cls} SYSTOLE_MODEL_HEADER="${cls}.h" SYSTOLE_MODEL_ROOT_HEADER="${cls}___024root.h")
  set(params ${M_PARAMS})
  if(M_CONFIG)
    string(JSON cfg_json ERROR_VARIABLE err GET "${SYSTOLE_CONFIGS_JSON}" ${M_CONFIG})
    if(err)
      message(FATAL_ERROR "systole_verilated_model(${cls}): no configuration '${M_CONFIG}' in configs/configs.json")
    endif()
    list(APPEND defs SYSTOLE_MODEL_CONFIG="${M_CONFIG}")
  endif()
  set(gparams)
  if(M_CONFIG AND NOT M_PARAMS)
    chip_gparams(gparams ${M_CONFIG})
  endif()
  foreach(p IN LISTS params)
    if(p MATCHES "^[A-Za-z_][A-Za-z0-9_]*=.+$")
      list(APPEND gparams -G${p})
    elseif(M_CONFIG)
      string(JSON v ERROR_VARIABLE err GET "${cfg_json}" ${p})
      if(err)
        message(FATAL_ERROR "systole_verilated_model(${cls}): '${p}' is not a key of configuration "
                            "'${M_CONFIG}' (configs/configs.json) nor Name=value")
      endif()
      list(APPEND gparams -G${p}=${v})
    else()
      message(FATAL_ERROR "systole_verilated_model(${cls}): parameter '${p}' needs CONFIG or a value (${p}=...)")
    endif()
  endforeach()

  set(vm_trace 0)
  set(trace_args)
  if(M_TRACE)
    set(vm_trace 1)
    set(trace_args --trace-fst)
  endif()
  set(vm_coverage 0)
  set(coverage_args)
  if(M_COVERAGE)
    if(NOT SYSTOLE_RTL_COVERAGE)
      # The coverage runtime (verilated_cov.cpp) is in systole_verilated only in a coverage build.
      message(FATAL_ERROR "systole_verilated_model(${cls}): COVERAGE needs -DSYSTOLE_RTL_COVERAGE=ON")
    endif()
    set(vm_coverage 1)
    set(coverage_args --coverage-line --coverage-toggle)
  endif()
  set(objcache)
  if(CCACHE_PROGRAM)
    set(objcache -MAKEFLAGS OBJCACHE=${CCACHE_PROGRAM})
  endif()

  set(vdir ${CMAKE_CURRENT_BINARY_DIR}/${cls})
  set(archive ${vdir}/${cls}__ALL.a)
  set(cmd ${SYSTOLE_VERILATOR} --cc --build -j 1 ${SYSTOLE_VERILATOR_ARGS} ${M_VERILATOR_ARGS}
          ${trace_args} ${coverage_args} ${gparams} --top-module ${M_TOP} --prefix ${cls} --Mdir ${vdir}
          -MAKEFLAGS VM_PARALLEL_BUILDS=1 -MAKEFLAGS OPT_FAST=${M_OPT_FAST} -MAKEFLAGS OPT_SLOW=${M_OPT_SLOW}
          -MAKEFLAGS OPT_GLOBAL=-O2 ${objcache} ${M_SOURCES})
  set(cmd_file ${vdir}/${cls}.cmd)
  string(JOIN "\n" cmd_text ${cmd})
  set(old_text)
  if(EXISTS ${cmd_file})
    file(READ ${cmd_file} old_text)
  endif()
  if(NOT old_text STREQUAL "${cmd_text}\n")
    file(WRITE ${cmd_file} "${cmd_text}\n")
  endif()
  add_custom_command(
    OUTPUT ${archive} ${vdir}/${cls}.h
    COMMAND ${CMAKE_COMMAND} -E rm -f ${archive}
    COMMAND ${cmd}
    DEPENDS ${M_SOURCES} ${SYSTOLE_RTL_DIR}/include/systole_assert.svh ${cmd_file}
    COMMENT "Verilating and compiling ${M_TOP} (${cls})"
    VERBATIM)
  add_custom_target(${cls}_verilate DEPENDS ${archive})
  if(M_NO_MODEL_DEFINITIONS)
    set(defs)
  endif()

  add_library(${cls} INTERFACE)
  add_dependencies(${cls} ${cls}_verilate)  # followed by every target that links ${cls}
  target_include_directories(${cls} SYSTEM INTERFACE ${vdir})
  target_link_libraries(${cls} INTERFACE ${archive} systole_verilated)
  target_compile_definitions(${cls} INTERFACE ${defs}
    VM_TRACE=${vm_trace} VM_TRACE_FST=${vm_trace} VM_TRACE_VCD=0 VM_COVERAGE=${vm_coverage} VM_SC=0)
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

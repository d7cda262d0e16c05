# Runs EXE with ARGS and checks its exit status and combined output.
#   EXPECT_EXIT: a number, or "nonzero"
#   MATCH:       regexes that must all occur in stdout+stderr
#   NOMATCH:     regexes that must not occur
# ARGS, MATCH and NOMATCH come as one string each, items joined with "@@".
foreach(v ARGS MATCH NOMATCH)
  string(REPLACE "@@" ";" ${v} "${${v}}")
endforeach()
execute_process(COMMAND ${EXE} ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
message("exit status ${rc}\n--- stdout ---\n${out}--- stderr ---\n${err}")
if(EXPECT_EXIT STREQUAL "nonzero")
  if(rc EQUAL 0)
    message(FATAL_ERROR "expected a non-zero exit status, got 0")
  endif()
elseif(NOT rc EQUAL EXPECT_EXIT)
  message(FATAL_ERROR "expected exit status ${EXPECT_EXIT}, got ${rc}")
endif()
foreach(re IN LISTS MATCH)
  if(NOT all MATCHES "${re}")
    message(FATAL_ERROR "output does not match '${re}'")
  endif()
endforeach()
foreach(re IN LISTS NOMATCH)
  if(all MATCHES "${re}")
    message(FATAL_ERROR "output matches '${re}' but must not")
  endif()
endforeach()

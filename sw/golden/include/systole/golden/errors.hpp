// Architectural error codes (docs/isa.md section 5).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace systole::golden {

enum class ErrorCode : std::uint8_t {
  kNone = 0x00,
  kIllegalInstruction = 0x01,
  kBadOperand = 0x02,
  kShapeMismatch = 0x03,
  kPatternOutOfRange = 0x04,
  kProtection = 0x05,
  kAxiError = 0x06,
  kSemOverflow = 0x07,
  kTableError = 0x08,
  kProgramBounds = 0x09,
  kWatchdog = 0x0A,
  kLinkError = 0x0B,
};

std::string_view error_name(ErrorCode c);

// A check failure: the architectural code plus a sentence saying what was wrong.
struct Fault {
  ErrorCode code = ErrorCode::kNone;
  std::string detail;
  explicit operator bool() const { return code != ErrorCode::kNone; }
};

// Thrown by encode() when a field does not fit its encoding (a software bug in the caller).
class EncodeError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace systole::golden

// The error every kernel throws for arguments it cannot take (shapes, dtypes, sizes that do not
// fit): the message says what was wrong and what was expected. Thrown before anything is
// allocated or run; the CLI turns it into exit status 2.
#pragma once

#include <stdexcept>

namespace systole::kernels {

class KernelArgumentError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace systole::kernels

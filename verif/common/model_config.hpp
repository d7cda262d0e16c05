// The configuration a bench's Verilated model was built for. systole_verilated_model()
// (cmake/Systole.cmake) gives every bench the same three definitions: SYSTOLE_MODEL (the model
// class), SYSTOLE_MODEL_HEADER and SYSTOLE_MODEL_CONFIG (the configuration's name); every other
// parameter (P, C, SBUF size, DMA queues, AXI width, ...) is read here at run time, from the golden
// model's presets, which test_configs keeps equal to configs/configs.json (the model's -G values).
#pragma once

#include "systole/golden/config.hpp"

#ifndef SYSTOLE_MODEL_CONFIG
#error "SYSTOLE_MODEL_CONFIG is not defined: link a model made by systole_verilated_model(... CONFIG <cfg>)"
#endif

namespace systole::verif {

// golden::Config::by_name(SYSTOLE_MODEL_CONFIG), built once.
inline const golden::Config& model_config() {
  static const golden::Config cfg = golden::Config::by_name(SYSTOLE_MODEL_CONFIG);
  return cfg;
}

}  // namespace systole::verif

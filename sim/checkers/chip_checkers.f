// The chip's protocol checkers, bound into chip_top (simulation only; docs/chip.md section 9).
// Compiled after rtl/top/top.f into every simulation model of the chip.
chip_checkers.sv
chip_checkers_bind.sv

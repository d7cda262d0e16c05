// The "link" case kind of the regression (link_kind(), case_kind.hpp): a random collective over
// a multi-chip system (docs/collectives.md), every chip's output compared bit-exactly with the
// host reference in the documented order, within the float64 bound, with no race across chips.
// Today it runs on the golden multi-chip system (ideal links): it checks the collectives'
// programs and the golden model's remote operations. When the RTL system exists the same cases
// run on it under random link faults (bit errors, bursts, drops, resets), compared with this.
//
// Parameters: collective (allreduce, reducescatter, allgather, broadcast, alltoall, sendrecv);
// chips (1..16; >= 2 for sendrecv); count (elements as the collective counts them, 0..1048576);
// dtype (fp32, bf16, int32); op (sum, max, min; reductions only); in_place (0/1; not alltoall);
// dirs (both, one); algorithm (all-reduce: auto, ring, direct, recursive-doubling on 2^k chips);
// root and peer (broadcast, sendrecv). Values come from the case seed.
//
// Coverage bins (link_bin_grid): collective x dtype x size class ("empty" count 0, "tiny" fewer
// elements than chips, "small" up to P x 512 elements, "multi_tile" more).
#pragma once

#include <string>
#include <vector>

#include "case_kind.hpp"
#include "systole/collectives/collective.hpp"

namespace systole::verif::regress {

const CaseKind& link_kind();

std::vector<std::string> link_bin_grid();

// The parameters as a collective, checked (std::invalid_argument naming the key and what was
// expected).
collectives::Spec parse_link_case(const golden::Config& cfg, const Params& p);
std::string link_size_class(const golden::Config& cfg, const collectives::Spec& s);

}  // namespace systole::verif::regress

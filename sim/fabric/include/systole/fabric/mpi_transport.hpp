// Transport over MPI ranks (Open MPI; docs/links.md section 6): every rank simulates its block of
// nodes; exchange() is an MPI_Alltoallv of the tokens of one window.
#pragma once

#include "systole/fabric/fabric.hpp"

namespace systole::fabric {

class MpiTransport final : public Transport {
 public:
  // Calls MPI_Init (MPI_Finalize in the destructor); one per process. A process started without
  // mpirun is a world of one rank.
  MpiTransport(int* argc, char*** argv);
  ~MpiTransport() override;
  MpiTransport(const MpiTransport&) = delete;
  MpiTransport& operator=(const MpiTransport&) = delete;

  std::uint32_t rank() const override { return rank_; }
  std::uint32_t ranks() const override { return ranks_; }
  std::vector<Token> exchange(const std::vector<std::vector<Token>>& out) override;
  bool all(bool flag) override;
  std::uint64_t max(std::uint64_t value) override;
  // Every rank's bytes gathered on rank 0 (empty elsewhere), in rank order.
  std::vector<std::vector<std::uint8_t>> gather(const std::vector<std::uint8_t>& mine);

 private:
  std::uint32_t rank_ = 0, ranks_ = 1;
};

}  // namespace systole::fabric

#include "systole/fabric/mpi_transport.hpp"

#include <mpi.h>

#include <cstring>
#include <stdexcept>

namespace systole::fabric {
namespace {

// A token on the wire between ranks: wire (4 bytes), cycle (8), the flit (256).
constexpr std::size_t kTokenBytes = 4 + 8 + link::kFlitBytes;

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

}  // namespace

MpiTransport::MpiTransport(int* argc, char*** argv) {
  check(MPI_Init(argc, argv), "MPI_Init");
  int r = 0, n = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  rank_ = static_cast<std::uint32_t>(r);
  ranks_ = static_cast<std::uint32_t>(n);
}

MpiTransport::~MpiTransport() { MPI_Finalize(); }

std::vector<Token> MpiTransport::exchange(const std::vector<std::vector<Token>>& out) {
  const int n = static_cast<int>(ranks_);
  std::vector<int> send_counts(n, 0), send_displs(n, 0), recv_counts(n, 0), recv_displs(n, 0);
  std::vector<std::uint8_t> send;
  for (int r = 0; r < n; ++r) {
    send_displs[r] = static_cast<int>(send.size());
    if (r == static_cast<int>(rank_)) continue;
    for (const Token& t : out[r]) {
      const std::size_t at = send.size();
      send.resize(at + kTokenBytes);
      std::memcpy(send.data() + at, &t.wire, 4);
      std::memcpy(send.data() + at + 4, &t.cycle, 8);
      std::memcpy(send.data() + at + 12, t.flit.data(), link::kFlitBytes);
    }
    send_counts[r] = static_cast<int>(send.size()) - send_displs[r];
  }
  check(MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Alltoall");
  int total = 0;
  for (int r = 0; r < n; ++r) {
    recv_displs[r] = total;
    total += recv_counts[r];
  }
  std::vector<std::uint8_t> recv(static_cast<std::size_t>(total));
  check(MPI_Alltoallv(send.data(), send_counts.data(), send_displs.data(), MPI_BYTE, recv.data(), recv_counts.data(),
                      recv_displs.data(), MPI_BYTE, MPI_COMM_WORLD),
        "MPI_Alltoallv");
  std::vector<Token> in(recv.size() / kTokenBytes);
  for (std::size_t i = 0; i < in.size(); ++i) {
    const std::uint8_t* p = recv.data() + i * kTokenBytes;
    std::memcpy(&in[i].wire, p, 4);
    std::memcpy(&in[i].cycle, p + 4, 8);
    std::memcpy(in[i].flit.data(), p + 12, link::kFlitBytes);
  }
  return in;
}

bool MpiTransport::all(bool flag) {
  int mine = flag ? 1 : 0, every = 0;
  check(MPI_Allreduce(&mine, &every, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD), "MPI_Allreduce");
  return every != 0;
}

std::uint64_t MpiTransport::max(std::uint64_t value) {
  unsigned long long mine = value, most = 0;
  check(MPI_Allreduce(&mine, &most, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, MPI_COMM_WORLD), "MPI_Allreduce");
  return most;
}

std::vector<std::vector<std::uint8_t>> MpiTransport::gather(const std::vector<std::uint8_t>& mine) {
  const int n = static_cast<int>(ranks_);
  int size = static_cast<int>(mine.size());
  std::vector<int> sizes(n, 0), displs(n, 0);
  check(MPI_Gather(&size, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Gather");
  int total = 0;
  for (int r = 0; r < n; ++r) {
    displs[r] = total;
    total += sizes[r];
  }
  std::vector<std::uint8_t> all(rank_ == 0 ? static_cast<std::size_t>(total) : 0);
  check(MPI_Gatherv(mine.data(), size, MPI_BYTE, all.data(), sizes.data(), displs.data(), MPI_BYTE, 0, MPI_COMM_WORLD),
        "MPI_Gatherv");
  std::vector<std::vector<std::uint8_t>> out;
  if (rank_ == 0) {
    for (int r = 0; r < n; ++r) out.emplace_back(all.begin() + displs[r], all.begin() + displs[r] + sizes[r]);
  }
  return out;
}

}  // namespace systole::fabric

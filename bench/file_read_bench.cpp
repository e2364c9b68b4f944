// FileStream read throughput, as ratios to the plain system calls measured in
// the same run:
//   sequential: a 512 MiB file already in the page cache, 64 KiB reads, through
//     BeginRead/EndRead chained in the callback (one outstanding), co_await
//     ReadAsync, and synchronous Read, against a plain read() loop;
//   random: 4 KiB reads at random offsets, 32 outstanding, against a
//     synchronous pread() loop; a preadv2(RWF_NOWAIT) loop over the same
//     offsets shows what the system call of FileStream's fast path costs by
//     itself.
// Each FileStream benchmark runs once per back-end (thread pool, io_uring when
// available). The table at the end lists every ratio; the usual Google
// Benchmark output comes first.
//
// usage: file_read_bench [--file_mib=N] [--backend=threadpool|uring] [benchmark options]
// --backend runs the FileStream benchmarks on that back-end alone; with
// threadpool, io_uring is never probed, which valgrind needs (a thread blocked
// in io_uring_enter holds valgrind's lock, and the program stops there).
// On a busy machine, --benchmark_repetitions=5 makes the table use medians,
// and --benchmark_enable_random_interleaving=true spreads the repetitions of
// every benchmark over the whole run, so that a burst of load elsewhere does
// not fall on one benchmark alone. The table gives each ratio twice: from
// real time (throughput, what the targets are about) and from the CPU time of
// the benchmark's thread, which a machine shared with other work disturbs
// less. Every measured operation runs on that thread (cached reads complete
// inline or on its io_context), so the two agree on a quiet machine.
#include <dotasync/dotasync.hpp>
#include <dotasync/io/detail/file_backend.hpp>

#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <new>
#include <random>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

namespace asio = boost::asio;
using namespace dotasync;
using backend = dotasync::detail::file_backend;

namespace {

// Every row reads into buffers that start on a page: where a 64 KiB buffer
// starts changes how fast the kernel copies into it (by up to a tenth on the
// machine of docs/performance.md), and the heap would place each row's buffer
// differently, which showed as a difference between two rows that run the
// same code.
template <class T>
struct page_allocator {
    using value_type = T;
    static constexpr std::align_val_t page{4096};

    page_allocator() = default;
    template <class U>
    page_allocator(const page_allocator<U>&) noexcept
    {
    }

    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), page)); }
    void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, page); }
    friend bool operator==(const page_allocator&, const page_allocator&) = default;
};
using buffer = std::vector<char, page_allocator<char>>;

constexpr int seq_chunk = 64 << 10;
constexpr int rand_chunk = 4 << 10;
constexpr int outstanding = 32;
constexpr int random_reads = 32768;
std::size_t file_size = std::size_t(512) << 20;
std::filesystem::path file_path;

void make_file()
{
    file_path = std::filesystem::temp_directory_path() / ("dotasync-bench-" + std::to_string(::getpid()) + ".bin");
    std::vector<char> block(1 << 20);
    std::mt19937_64 rng(1);
    for (auto& c : block)
        c = static_cast<char>(rng());
    const int fd = ::open(file_path.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
    for (std::size_t done = 0; done < file_size; done += block.size())
        if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size()))
            std::abort();
    ::close(fd);
    // Read once so that every measurement starts from the page cache.
    buffer buf(seq_chunk);
    const int rfd = ::open(file_path.c_str(), O_RDONLY | O_CLOEXEC);
    while (::read(rfd, buf.data(), buf.size()) > 0) {
    }
    ::close(rfd);
}

std::vector<std::int64_t> random_offsets()
{
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::int64_t> pick(0, static_cast<std::int64_t>(file_size / rand_chunk) - 1);
    std::vector<std::int64_t> offsets(random_reads);
    for (auto& o : offsets)
        o = pick(rng) * rand_chunk;
    return offsets;
}

struct backend_scope {
    explicit backend_scope(int id) { dotasync::detail::set_file_backend(static_cast<backend>(id)); }
    ~backend_scope() { dotasync::detail::set_file_backend(backend::automatic); }
};

void BM_seq_read_syscall(benchmark::State& state)
{
    buffer buf(seq_chunk);
    for (auto _ : state) {
        const int fd = ::open(file_path.c_str(), O_RDONLY | O_CLOEXEC);
        while (::read(fd, buf.data(), buf.size()) > 0) {
        }
        ::close(fd);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file_size));
}

void BM_seq_Read(benchmark::State& state, int backend_id)
{
    backend_scope scope(backend_id);
    buffer buf(seq_chunk);
    for (auto _ : state) {
        FileStream fs(file_path, FileMode::Open, FileAccess::Read, FileShare::Read, 0);
        while (fs.Read(buf, 0, seq_chunk) > 0) {
        }
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file_size));
}

// The BeginRead rows' callbacks are what a port of the C# twins' cached
// AsyncCallback delegate is: one std::function bound to the object that
// reads, so that handing it to each BeginRead copies a pointer (it fits the
// std::function's own storage) instead of a heap block. The C# twins pass
// their delegate without allocating either.

// 64 KiB reads, the next begun from the callback.
struct seq_reader {
    FileStream& fs;
    buffer& buf;
    AsyncCallback on_read = [this](const IAsyncResultPtr& ar) { OnRead(ar); };

    void Begin() { fs.BeginRead(buf, 0, seq_chunk, on_read, {}); }

    void OnRead(const IAsyncResultPtr& ar)
    {
        if (fs.EndRead(ar) > 0)
            Begin();
    }
};

// Each of the 32 slots begins its next read from its callback; the position
// is set right before each BeginRead, which reads there.
struct rand_reader {
    FileStream& fs;
    std::vector<buffer>& buffers;
    const std::vector<std::int64_t>& offsets;
    std::size_t next = 0;
    AsyncCallback on_read = [this](const IAsyncResultPtr& ar) { OnRead(ar); };

    void Begin(std::size_t slot)
    {
        fs.SetPosition(offsets[next++]);
        fs.BeginRead(buffers[slot], 0, rand_chunk, on_read, slot);
    }

    void OnRead(const IAsyncResultPtr& ar)
    {
        if (fs.EndRead(ar) != rand_chunk)
            std::abort();
        if (next < offsets.size())
            Begin(std::any_cast<std::size_t>(ar->AsyncState()));
    }
};

void BM_seq_BeginRead(benchmark::State& state, int backend_id)
{
    backend_scope scope(backend_id);
    buffer buf(seq_chunk);
    for (auto _ : state) {
        asio::io_context io;
        FileStream fs(io.get_executor(), file_path, FileMode::Open, FileAccess::Read, FileShare::Read, 0);
        seq_reader reader{fs, buf};
        reader.Begin();
        io.run();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file_size));
}

void BM_seq_ReadAsync_awaitable(benchmark::State& state, int backend_id)
{
    backend_scope scope(backend_id);
    for (auto _ : state) {
        asio::io_context io;
        FileStream fs(io.get_executor(), file_path, FileMode::Open, FileAccess::Read, FileShare::Read, 0);
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                buffer buf(seq_chunk);
                while (co_await fs.ReadAsync(buf, asio::use_awaitable) > 0) {
                }
            },
            asio::detached);
        io.run();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file_size));
}

// A synchronous loop of read(fd, buffer, offset) system calls over the random
// offsets.
template <class Read>
void rand_syscall_loop(benchmark::State& state, Read read)
{
    const auto offsets = random_offsets();
    buffer buf(rand_chunk);
    const int fd = ::open(file_path.c_str(), O_RDONLY | O_CLOEXEC);
    for (auto _ : state)
        for (auto o : offsets)
            if (read(fd, buf, o) != rand_chunk)
                std::abort();
    ::close(fd);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * random_reads * rand_chunk));
}

void BM_rand_pread_syscall(benchmark::State& state)
{
    rand_syscall_loop(state, [](int fd, buffer& buf, std::int64_t offset) {
        return ::pread(fd, buf.data(), buf.size(), offset);
    });
}

// The system call of FileStream's fast path alone, over the same offsets:
// what the asynchronous reads could reach if the library cost nothing.
void BM_rand_preadv2_nowait_syscall(benchmark::State& state)
{
    rand_syscall_loop(state, [](int fd, buffer& buf, std::int64_t offset) {
        iovec iov{buf.data(), buf.size()};
        return ::preadv2(fd, &iov, 1, offset, RWF_NOWAIT);
    });
}

void BM_rand_BeginRead_32(benchmark::State& state, int backend_id)
{
    backend_scope scope(backend_id);
    const auto offsets = random_offsets();
    std::vector<buffer> buffers(outstanding, buffer(rand_chunk));
    for (auto _ : state) {
        asio::io_context io;
        FileStream fs(io.get_executor(), file_path, FileMode::Open, FileAccess::Read, FileShare::Read, 0,
                      FileOptions::RandomAccess);
        rand_reader reader{fs, buffers, offsets};
        for (std::size_t slot = 0; slot < outstanding; ++slot)
            reader.Begin(slot);
        io.run();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * random_reads * rand_chunk));
}

// Keeps the throughput of every run, to print the ratios at the end.
class ratio_reporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override
    {
        for (const auto& run : runs) {
            auto it = run.counters.find("bytes_per_second");
            if (it == run.counters.end())
                continue;
            // With --benchmark_repetitions, the median stands for the runs.
            if (run.run_type == Run::RT_Aggregate && run.aggregate_name != "median")
                continue;
            std::string name = run.run_name.str();
            const std::string real_time = "/real_time";
            if (name.size() > real_time.size() && name.ends_with(real_time))
                name.resize(name.size() - real_time.size());
            rates[name] = it->second.value;
            // The same bytes over the thread's CPU time instead of real time.
            if (run.cpu_accumulated_time > 0)
                cpu_rates[name] = it->second.value * run.real_accumulated_time / run.cpu_accumulated_time;
        }
        ConsoleReporter::ReportRuns(runs);
    }
    std::map<std::string, double> rates;
    std::map<std::string, double> cpu_rates;
};

const char* backend_name(int b)
{
    return b == static_cast<int>(backend::uring) ? "io_uring" : "thread pool";
}

} // namespace

int main(int argc, char** argv)
{
    std::string only;
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--file_mib=", 11) == 0)
            file_size = std::size_t(std::stoul(argv[i] + 11)) << 20;
        if (std::strncmp(argv[i], "--backend=", 10) == 0)
            only = argv[i] + 10;
    }
    if (!only.empty() && only != "threadpool" && only != "uring") {
        std::fprintf(stderr, "file_read_bench: --backend must be threadpool or uring\n");
        return 2;
    }
    make_file();

    std::vector<int> backends;
    if (only != "uring")
        backends.push_back(static_cast<int>(backend::threadpool));
    if (only != "threadpool") {
        if (dotasync::detail::file_backend_available(backend::uring))
            backends.push_back(static_cast<int>(backend::uring));
        else if (only == "uring")
            std::fprintf(stderr, "file_read_bench: io_uring is not available here (%s)\n",
                         dotasync::detail::uring_unavailable_reason().c_str());
    }

    benchmark::RegisterBenchmark("seq/read()", BM_seq_read_syscall)->Unit(benchmark::kMillisecond)->UseRealTime();
    benchmark::RegisterBenchmark("rand/pread()", BM_rand_pread_syscall)->Unit(benchmark::kMillisecond)->UseRealTime();
    benchmark::RegisterBenchmark("rand/preadv2(RWF_NOWAIT)", BM_rand_preadv2_nowait_syscall)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    for (int b : backends) {
        const std::string suffix = std::string("/") + (b == static_cast<int>(backend::uring) ? "uring" : "threadpool");
        benchmark::RegisterBenchmark(("seq/BeginRead" + suffix).c_str(), BM_seq_BeginRead, b)->Unit(benchmark::kMillisecond)->UseRealTime();
        benchmark::RegisterBenchmark(("seq/co_await ReadAsync" + suffix).c_str(), BM_seq_ReadAsync_awaitable, b)->Unit(benchmark::kMillisecond)->UseRealTime();
        benchmark::RegisterBenchmark(("seq/Read" + suffix).c_str(), BM_seq_Read, b)->Unit(benchmark::kMillisecond)->UseRealTime();
        benchmark::RegisterBenchmark(("rand/BeginRead x32" + suffix).c_str(), BM_rand_BeginRead_32, b)->Unit(benchmark::kMillisecond)->UseRealTime();
    }

    benchmark::Initialize(&argc, argv);
    ratio_reporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    std::filesystem::remove(file_path);

    std::printf("\n%-32s %-12s %10s %8s %10s\n", "face", "back-end", "MB/s", "ratio", "CPU ratio");
    const double seq_base = reporter.rates["seq/read()"];
    const double rand_base = reporter.rates["rand/pread()"];
    const double seq_cpu_base = reporter.cpu_rates["seq/read()"];
    const double rand_cpu_base = reporter.cpu_rates["rand/pread()"];
    std::printf("%-32s %-12s %10.0f %8s %10s\n", "read() loop", "-", seq_base / 1e6, "1.00", "1.00");
    std::printf("%-32s %-12s %10.0f %8s %10s\n", "pread() loop (random 4 KiB)", "-", rand_base / 1e6, "1.00", "1.00");
    const std::string nowait = "rand/preadv2(RWF_NOWAIT)";
    if (reporter.rates.count(nowait) != 0)
        std::printf("%-32s %-12s %10.0f %8.2f %10.2f\n", "preadv2(RWF_NOWAIT) loop (random)", "-",
                    reporter.rates[nowait] / 1e6, reporter.rates[nowait] / rand_base,
                    reporter.cpu_rates[nowait] / rand_cpu_base);
    for (const auto& [name, rate] : reporter.rates) {
        const auto slash = name.rfind('/');
        const std::string tail = name.substr(slash + 1);
        if (tail != "threadpool" && tail.rfind("uring", 0) != 0)
            continue;
        const bool random = name.rfind("rand/", 0) == 0;
        const std::string face = name.substr(name.find('/') + 1, slash - name.find('/') - 1);
        const int b = tail == "threadpool" ? static_cast<int>(backend::threadpool) : static_cast<int>(backend::uring);
        std::printf("%-32s %-12s %10.0f %8.2f %10.2f\n", (face + (random ? " (random 4 KiB)" : "")).c_str(),
                    backend_name(b), rate / 1e6, rate / (random ? rand_base : seq_base),
                    reporter.cpu_rates[name] / (random ? rand_cpu_base : seq_cpu_base));
    }
}

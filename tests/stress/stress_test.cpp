// A bounded stress run: several threads drive every kind of operation
// dotasync has, all at once, with random cancellation, Close() while
// operations are pending, and io_contexts destroyed with operations in
// flight. It asserts what a user relies on whatever the timing:
//   - every operation started completes exactly once, and nothing hangs: a
//     wait that outlasts a generous time-out fails the run with the stuck
//     operation named, and a watchdog ends a run that stops making progress;
//   - failures are only the documented .NET types (cancellation, a disposed
//     object, or the failure the test itself injected);
//   - file bytes and positions follow .NET's rules: a write that completes
//     wrote all its bytes, a canceled one a prefix that the position counts,
//     a read returns the file's bytes at its position or, canceled, leaves
//     the position where it was;
//   - descriptors return to their starting count.
// Each run is bounded in time (DOTASYNC_STRESS_SECONDS, default 8 per
// back-end) and in rounds, so that it fits every CI stage. Boost.Test is not
// thread-safe: worker threads record into the ledger, and only the test's
// own thread reports.
#include <dotasync/dotasync.hpp>

#include "io/io_support.hpp"
#include "support/running_context.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace utf = boost::unit_test;
using namespace dotasync;
using namespace dotasync_test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

// How long any single wait may take before the operation counts as stuck.
constexpr auto generous = 30s;

// The failure the test injects into delegates, tasks and completion sources.
struct injected_failure : std::runtime_error {
    injected_failure() : std::runtime_error("injected") {}
};

// Every operation started, until it is seen to complete.
class ledger {
public:
    class entry {
    public:
        explicit entry(std::string name) : name_(std::move(name)), started_(clock_type::now()) {}
        const std::string& name() const noexcept { return name_; }

    private:
        friend class ledger;
        std::string name_;
        clock_type::time_point started_;
        std::atomic<int> completions_{0};
    };
    using handle = std::shared_ptr<entry>;

    handle start(std::string name)
    {
        auto e = std::make_shared<entry>(std::move(name));
        std::lock_guard lock(mutex_);
        open_.emplace(e.get(), e);
        ++started_;
        return e;
    }

    // The operation completed, with error (null on success). A second
    // completion, or a failure of a type no .NET rule allows, is recorded.
    void finish(const handle& e, const std::exception_ptr& error)
    {
        const int before = e->completions_.fetch_add(1);
        std::string unexpected;
        bool canceled = false;
        if (error) {
            try {
                std::rethrow_exception(error);
            } catch (const OperationCanceledException&) {
                canceled = true;
            } catch (const ObjectDisposedException&) {
                canceled = true;
            } catch (const injected_failure&) {
            } catch (const std::exception& x) {
                unexpected = std::string(typeid(x).name()) + ": " + x.what();
            } catch (...) {
                unexpected = "a non-standard exception";
            }
        }
        std::lock_guard lock(mutex_);
        if (before != 0)
            failures_.push_back(e->name() + " completed " + std::to_string(before + 1) + " times");
        if (!unexpected.empty())
            failures_.push_back(e->name() + " failed with " + unexpected);
        open_.erase(e.get());
        ++completed_;
        if (canceled)
            ++canceled_;
    }

    void fail(std::string what)
    {
        std::lock_guard lock(mutex_);
        failures_.push_back(std::move(what));
    }

    // Waits until ready() or the time-out; a time-out is a stuck operation.
    bool wait(const handle& e, const std::function<bool()>& ready)
    {
        const auto deadline = clock_type::now() + generous;
        while (!ready()) {
            if (clock_type::now() > deadline) {
                fail(e->name() + " never completed");
                return false;
            }
            std::this_thread::sleep_for(100us);
        }
        return true;
    }

    template <class T>
    bool wait(const handle& e, std::future<T>& f)
    {
        if (f.wait_for(generous) == std::future_status::ready)
            return true;
        fail(e->name() + " never completed");
        return false;
    }

    std::vector<std::string> failures() const
    {
        std::lock_guard lock(mutex_);
        return failures_;
    }

    // The operations open longer than age, oldest first.
    std::vector<std::string> older_than(clock_type::duration age) const
    {
        std::lock_guard lock(mutex_);
        std::vector<std::string> names;
        const auto now = clock_type::now();
        for (const auto& [key, e] : open_)
            if (now - e->started_ > age)
                names.push_back(e->name());
        return names;
    }

    struct totals {
        std::uint64_t started, completed, canceled;
        std::size_t open;
    };
    totals counts() const
    {
        std::lock_guard lock(mutex_);
        return {started_, completed_, canceled_, open_.size()};
    }

private:
    mutable std::mutex mutex_;
    std::map<const entry*, handle> open_;
    std::vector<std::string> failures_;
    std::uint64_t started_ = 0, completed_ = 0, canceled_ = 0;
};

// Ends the process, naming what is stuck, when operations stay open far
// longer than any wait allows: a hang then fails the run with a name instead
// of running into the test time-out.
class watchdog {
public:
    explicit watchdog(const ledger& l)
        : thread_([this, &l] {
              std::unique_lock lock(mutex_);
              while (!done_) {
                  changed_.wait_for(lock, 1s);
                  const auto stuck = l.older_than(3 * generous);
                  if (!stuck.empty()) {
                      std::fprintf(stderr, "stress watchdog: %zu operations open for over %lld s, first: %s\n",
                                   stuck.size(),
                                   static_cast<long long>(std::chrono::seconds(3 * generous).count()),
                                   stuck.front().c_str());
                      std::abort();
                  }
              }
          })
    {
    }
    ~watchdog()
    {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        changed_.notify_all();
        thread_.join();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool done_ = false;
    std::thread thread_;
};

// What every worker thread has at hand.
struct worker {
    ledger& book;
    asio::io_context& io;
    const std::filesystem::path& dir;
    int index;
    std::mt19937 rng;

    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }
    bool chance(int percent) { return pick(100) < percent; }
    std::string name(const char* what) { return std::string(what) + " #" + std::to_string(index); }

    // The four ways of waiting for an APM result; the callback, when used,
    // ends the operation and reports it.
    template <class End>
    void await_apm(const ledger::handle& e, const IAsyncResultPtr& ar, int way, End end)
    {
        if (way == 3)
            return; // the callback reports it
        if (way == 1 && !book.wait(e, [&] { return ar->AsyncWaitHandle().WaitOne(0); }))
            return;
        if (way == 2 && !book.wait(e, [&] { return ar->IsCompleted(); }))
            return;
        // End itself waits; it is called only when the operation is known to
        // finish, or from here, where no executor waits on this thread.
        if (way == 0 && !ar->AsyncWaitHandle().WaitOne(static_cast<int>(std::chrono::milliseconds(generous).count()))) {
            book.fail(e->name() + " never completed");
            return;
        }
        book.finish(e, end());
    }
};

template <class F>
std::exception_ptr capture(F f)
{
    try {
        f();
    } catch (...) {
        return std::current_exception();
    }
    return nullptr;
}

// The APM token on a timer, with a cancel posted to the timer's strand, and
// on a plain post; every way of waiting.
void apm_round(worker& w)
{
    auto strand = asio::make_strand(w.io);
    auto timer = std::make_shared<asio::steady_timer>(strand, std::chrono::microseconds(w.pick(2000)));
    const int way = w.pick(4);
    auto e = w.book.start(w.name("apm timer"));
    auto done = std::make_shared<std::promise<void>>();
    auto end_wait = [](const IAsyncResultPtr& r) {
        return capture([&] { end<void(boost::system::error_code)>(r); });
    };
    IAsyncResultPtr ar = timer->async_wait(apm(
        [&book = w.book, e, way, end_wait, done](const IAsyncResultPtr& r) {
            if (way == 3)
                book.finish(e, end_wait(r));
            done->set_value();
        },
        std::any(timer)));
    if (w.chance(50))
        asio::post(strand, [timer] { timer->cancel(); });
    w.await_apm(e, ar, way, [&] { return end_wait(ar); });
    auto f = done->get_future();
    w.book.wait(e, f);

    auto p = w.book.start(w.name("apm post"));
    IAsyncResultPtr posted = asio::post(w.io.get_executor(), apm({}, {}));
    w.await_apm(p, posted, w.pick(3), [&] { return capture([&] { end<void()>(posted); }); });
}

// Delegate::BeginInvoke with every way of waiting; some targets throw.
void delegate_round(worker& w)
{
    Delegate<int(int)> twice([](int x) {
        if (x % 5 == 0)
            throw injected_failure();
        return 2 * x;
    });
    const int way = w.pick(4);
    const int x = w.pick(1000);
    auto e = w.book.start(w.name("delegate"));
    auto check = [&w, e, x](const std::exception_ptr& error, int value) {
        if (!error && value != 2 * x)
            w.book.fail(e->name() + " returned a wrong value");
    };
    auto done = std::make_shared<std::promise<void>>();
    IAsyncResultPtr ar = twice.BeginInvoke(
        x,
        [&, way, done](const IAsyncResultPtr& r) {
            if (way == 3) {
                int value = 0;
                auto error = capture([&] { value = twice.EndInvoke(r); });
                check(error, value);
                w.book.finish(e, error);
            }
            done->set_value();
        },
        {});
    w.await_apm(e, ar, way, [&] {
        int value = 0;
        auto error = capture([&] { value = twice.EndInvoke(ar); });
        check(error, value);
        return error;
    });
    auto f = done->get_future();
    w.book.wait(e, f);
}

// The eap token on timers, some canceled through CancelAsync.
void eap_round(worker& w, eap_operations& operations, int& next_state)
{
    auto strand = asio::make_strand(w.io);
    auto timer = std::make_shared<asio::steady_timer>(strand, std::chrono::microseconds(w.pick(2000)));
    const int state = next_state++;
    auto e = w.book.start(w.name("eap timer"));
    auto done = std::make_shared<std::promise<void>>();
    timer->async_wait(eap(operations, state, [&book = w.book, e, done, timer](AsyncCompletedEventArgs args) {
        book.finish(e, args.Error());
        done->set_value();
    }));
    if (w.chance(50))
        operations.cancel(state);
    auto f = done->get_future();
    w.book.wait(e, f);
}

// Task::Run, Delay, WhenAll and WhenAny with tokens canceled at random, and
// a TaskCompletionSource raced by two threads.
void tap_round(worker& w)
{
    // Shared with the pool thread that may cancel it after this round.
    auto cts = std::make_shared<CancellationTokenSource>();
    const int x = w.pick(1000);
    auto run = w.book.start(w.name("Task::Run"));
    auto ran = Task::Run(
        [x] {
            if (x % 7 == 0)
                throw injected_failure();
            return x + 1;
        },
        cts->Token(), asio::use_future);
    auto delay = w.book.start(w.name("Task::Delay"));
    auto delayed = Task::Delay(std::chrono::milliseconds(w.pick(3)), cts->Token(), asio::use_future);
    if (w.chance(40))
        ThreadPool::QueueUserWorkItem([cts] { cts->Cancel(); });
    if (w.book.wait(run, ran)) {
        int value = 0;
        auto error = capture([&] { value = ran.get(); });
        if (!error && value != x + 1)
            w.book.fail(run->name() + " returned a wrong value");
        w.book.finish(run, error);
    }
    if (w.book.wait(delay, delayed))
        w.book.finish(delay, capture([&] { delayed.get(); }));

    auto all = w.book.start(w.name("Task::WhenAll"));
    auto both = Task::WhenAll(Task::Delay(1ms, asio::deferred), Task::Run([] { return 3; }, asio::deferred),
                              asio::use_future);
    if (w.book.wait(all, both))
        w.book.finish(all, capture([&] { both.get(); }));
    auto any = w.book.start(w.name("Task::WhenAny"));
    auto first = Task::WhenAny(Task::Delay(2ms, asio::deferred), Task::FromResult(1, asio::deferred),
                               asio::use_future);
    if (w.book.wait(any, first))
        w.book.finish(any, capture([&] { first.get(); }));

    TaskCompletionSource<int> tcs;
    auto source = w.book.start(w.name("TaskCompletionSource"));
    auto outcome = tcs.Task(asio::use_future);
    std::atomic<int> winners{0};
    std::thread other([&] {
        if (x % 2 == 0 ? tcs.TrySetException(std::make_exception_ptr(injected_failure())) : tcs.TrySetCanceled())
            ++winners;
    });
    if (tcs.TrySetResult(x))
        ++winners;
    other.join();
    if (winners.load() != 1)
        w.book.fail(source->name() + ": " + std::to_string(winners.load()) + " Set calls won");
    if (w.book.wait(source, outcome))
        w.book.finish(source, capture([&] { outcome.get(); }));
}

// BackgroundWorker with CancelAsync at random, on a message loop: Run
// returns once RunWorkerCompleted has run there, so the worker can go.
void background_worker_round(worker& w)
{
    BackgroundWorker bw;
    bw.WorkerSupportsCancellation(true);
    bw.DoWork += [](const std::any& sender, DoWorkEventArgs& args) {
        const auto until = clock_type::now() + 1ms;
        while (clock_type::now() < until) {
            if (std::any_cast<BackgroundWorker*>(sender)->CancellationPending()) {
                args.Cancel(true);
                return;
            }
            std::this_thread::yield();
        }
    };
    auto e = w.book.start(w.name("BackgroundWorker"));
    bw.RunWorkerCompleted += [&book = w.book, e](const std::any&, const RunWorkerCompletedEventArgs& args) {
        book.finish(e, args.Error());
    };
    const bool cancel = w.chance(50);
    MessageLoopSynchronizationContext::Run([&] {
        bw.RunWorkerAsync();
        if (cancel)
            bw.CancelAsync();
    });
}

// One worker's file: every change made through the stream is mirrored in
// model, so that the file's bytes can be checked at any time.
struct file_state {
    std::filesystem::path path;
    std::vector<std::uint8_t> model;
    std::unique_ptr<FileStream> stream;

    void open(asio::io_context& io)
    {
        stream = std::make_unique<FileStream>(io.get_executor(), path, FileMode::OpenOrCreate, FileAccess::ReadWrite,
                                              FileShare::Read, 0);
    }
};

// Reads and writes, one at a time or several at once, with cancellation
// and Close at random; every outcome is checked against the model.
void file_round(worker& w, file_state& file)
{
    FileStream& fs = *file.stream;
    auto& model = file.model;
    const int kind = w.pick(4);
    // Every kind starts at a random position inside what the file holds.
    const std::int64_t at = model.empty() ? 0 : w.pick(static_cast<int>(model.size()));
    fs.SetPosition(at);
    switch (kind) {
    case 0: { // a write, maybe canceled
        const auto chunk = pattern(1 + static_cast<std::size_t>(w.pick(1 << 16)), static_cast<std::uint32_t>(w.pick(1000)));
        CancellationTokenSource cts;
        auto e = w.book.start(w.name("FileStream.WriteAsync"));
        auto written = fs.WriteAsync(chunk, cts.Token(), asio::use_future);
        if (w.chance(50))
            cts.Cancel();
        if (!w.book.wait(e, written))
            return;
        auto error = capture([&] { written.get(); });
        w.book.finish(e, error);
        const std::int64_t end = fs.Position();
        const auto prefix = static_cast<std::size_t>(end - at);
        if (end < at || prefix > chunk.size() || (!error && prefix != chunk.size())) {
            w.book.fail(e->name() + ": the position moved by " + std::to_string(end - at) + " for " +
                        std::to_string(chunk.size()) + " bytes");
            return;
        }
        if (model.size() < static_cast<std::size_t>(at) + prefix)
            model.resize(static_cast<std::size_t>(at) + prefix);
        std::copy_n(chunk.begin(), prefix, model.begin() + at);
        return;
    }
    case 1: { // a read, maybe canceled
        std::vector<std::uint8_t> buf(1 + static_cast<std::size_t>(w.pick(1 << 16)));
        CancellationTokenSource cts;
        auto e = w.book.start(w.name("FileStream.ReadAsync"));
        auto read = fs.ReadAsync(buf, cts.Token(), asio::use_future);
        if (w.chance(50))
            cts.Cancel();
        if (!w.book.wait(e, read))
            return;
        int n = 0;
        auto error = capture([&] { n = read.get(); });
        w.book.finish(e, error);
        const std::int64_t end = fs.Position();
        if (error ? end != at : end != at + n)
            w.book.fail(e->name() + ": the position is " + std::to_string(end) + " after reading " +
                        std::to_string(n) + " bytes at " + std::to_string(at));
        else if (!error && !std::equal(buf.begin(), buf.begin() + n, model.begin() + at))
            w.book.fail(e->name() + ": the bytes read differ from the file's");
        return;
    }
    case 2: { // APM reads and writes through every way of waiting
        std::vector<std::uint8_t> buf(1 + static_cast<std::size_t>(w.pick(4096)));
        auto e = w.book.start(w.name("FileStream.BeginRead"));
        IAsyncResultPtr ar = fs.BeginRead(buf, 0, static_cast<int>(buf.size()), {}, {});
        int n = 0;
        w.await_apm(e, ar, w.pick(3), [&] { return capture([&] { n = fs.EndRead(ar); }); });
        if (!std::equal(buf.begin(), buf.begin() + n, model.begin() + at) || fs.Position() != at + n)
            w.book.fail(e->name() + ": wrong bytes or position");
        return;
    }
    default: { // several reads in flight, then Close from another thread, racing a Cancel
        constexpr int count = 4;
        const int size = 1 + w.pick(1 << 14);
        std::vector<std::vector<std::uint8_t>> bufs(count, std::vector<std::uint8_t>(static_cast<std::size_t>(size)));
        CancellationTokenSource cts;
        std::vector<std::future<int>> reads;
        std::vector<ledger::handle> entries;
        for (int i = 0; i < count; ++i) {
            entries.push_back(w.book.start(w.name("FileStream.ReadAsync before Close")));
            reads.push_back(fs.ReadAsync(bufs[static_cast<std::size_t>(i)], cts.Token(), asio::use_future));
        }
        std::thread canceller([&] { cts.Cancel(); });
        std::thread closer([&] { fs.Close(); });
        canceller.join();
        closer.join();
        for (int i = 0; i < count; ++i) {
            auto& e = entries[static_cast<std::size_t>(i)];
            if (!w.book.wait(e, reads[static_cast<std::size_t>(i)]))
                continue;
            int n = 0;
            auto error = capture([&] { n = reads[static_cast<std::size_t>(i)].get(); });
            w.book.finish(e, error);
            // Reads started one after another cover consecutive ranges.
            const auto from = static_cast<std::size_t>(at) + static_cast<std::size_t>(i) * static_cast<std::size_t>(size);
            if (!error && n > 0 && (from + static_cast<std::size_t>(n) > model.size() ||
                           !std::equal(bufs[static_cast<std::size_t>(i)].begin(),
                                       bufs[static_cast<std::size_t>(i)].begin() + n, model.begin() + from)))
                w.book.fail(e->name() + ": the bytes read differ from the file's");
        }
        if (read_file(file.path) != model)
            w.book.fail(w.name("file") + ": its bytes differ from the writes that completed");
        file.open(w.io);
        return;
    }
    }
}

// An io_context destroyed with operations in flight on it: an APM timer, a
// delegate completing there, a FileStream read and write; each completes
// (as canceled) and its stream still closes cleanly afterwards.
void teardown_round(worker& w, const std::filesystem::path& source)
{
    std::vector<std::uint8_t> buf(1 << 16);
    const auto big = pattern(1 << 20);
    std::unique_ptr<FileStream> reader, writer;
    std::vector<std::pair<ledger::handle, IAsyncResultPtr>> results;
    {
        asio::io_context io;
        std::optional<std::thread> runner;
        asio::steady_timer timer(io, 1h);
        Delegate<int()> call(io.get_executor(), [] { return 1; });
        reader = std::make_unique<FileStream>(io.get_executor(), source, FileMode::Open, FileAccess::Read,
                                              FileShare::ReadWrite, 0);
        writer = std::make_unique<FileStream>(io.get_executor(), w.dir / ("teardown-" + std::to_string(w.index)),
                                              FileMode::Create, FileAccess::Write, FileShare::None, 0);
        results.emplace_back(w.book.start(w.name("apm timer on a dying io_context")), timer.async_wait(apm({}, {})));
        results.emplace_back(w.book.start(w.name("delegate on a dying io_context")), call.BeginInvoke({}, {}));
        results.emplace_back(w.book.start(w.name("BeginRead on a dying io_context")),
                             reader->BeginRead(buf, 0, static_cast<int>(buf.size()), {}, {}));
        results.emplace_back(w.book.start(w.name("BeginWrite on a dying io_context")),
                             writer->BeginWrite(big, 0, static_cast<int>(big.size()), {}, {}));
        if (w.chance(50)) {
            // Some of it runs before the context goes.
            runner.emplace([&io] { io.run_for(1ms); });
            runner->join();
        }
        if (w.chance(50))
            writer->Close();
        // The delegate is destroyed before io here; its result stays valid.
    }
    for (auto& [e, ar] : results) {
        if (!w.book.wait(e, [&] { return ar->IsCompleted(); }))
            continue;
        w.book.finish(e, capture([&] {
            // Which End to call does not matter for the outcome: the
            // results carry it. end<> reads it without an owner check.
            if (e->name().find("BeginRead") != std::string::npos)
                reader->EndRead(ar);
            else if (e->name().find("BeginWrite") != std::string::npos)
                writer->EndWrite(ar);
            else if (e->name().find("timer") != std::string::npos)
                end<void(boost::system::error_code)>(ar);
            else if (!ar->AsyncWaitHandle().WaitOne(0))
                throw std::logic_error("not signalled");
        }));
    }
    reader->Close();
    writer->Close();
}

void run_stress(detail::file_backend backend)
{
    backend_fixture<detail::file_backend::automatic> restore;
    detail::set_file_backend(backend);
    const char* env = std::getenv("DOTASYNC_STRESS_SECONDS");
    const auto budget = std::chrono::seconds(env != nullptr ? std::max(1, std::atoi(env)) : 8);
    constexpr int max_rounds = 200000;
    constexpr int workers = 4;

    temp_dir dir;
    const auto source = dir / "source.bin";
    write_file(source, pattern(1 << 20, 7));
    // What starts once per process and keeps its descriptors (the default
    // runtime's reactor, the io_uring ring) starts before they are counted.
    Task::Delay(1ms, asio::use_future).get();
    (void)detail::file_backend_available(detail::file_backend::uring);
    const auto descriptors = open_descriptor_count();
    ledger book;
    std::atomic<std::uint64_t> rounds{0};
    const auto start = clock_type::now();
    {
        watchdog dog(book);
        running_context context(2);
        std::vector<std::thread> threads;
        for (int i = 0; i < workers; ++i)
            threads.emplace_back([&, i] {
                worker w{book, context.io(), dir.path(), i, std::mt19937(static_cast<unsigned>(i * 7919 + 17))};
                eap_operations operations;
                int next_state = 0;
                file_state file{dir / ("file-" + std::to_string(i)), {}, {}};
                file.open(context.io());
                const auto deadline = start + budget;
                for (int round = 0; round < max_rounds && clock_type::now() < deadline; ++round) {
                    switch (w.pick(8)) {
                    case 0: apm_round(w); break;
                    case 1: delegate_round(w); break;
                    case 2: eap_round(w, operations, next_state); break;
                    case 3: tap_round(w); break;
                    case 4: background_worker_round(w); break;
                    case 5: teardown_round(w, source); break;
                    default: file_round(w, file); break;
                    }
                    ++rounds;
                }
                file.stream->Close();
                if (read_file(file.path) != file.model)
                    book.fail(w.name("file") + ": its bytes differ from the writes that completed");
            });
        for (auto& t : threads)
            t.join();
    }
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    const auto totals = book.counts();
    BOOST_TEST_MESSAGE(detail::to_string(backend) << " back-end: " << rounds.load() << " rounds, " << totals.started
                                                  << " operations (" << totals.canceled << " cancelled) in "
                                                  << seconds << " s");
    for (const auto& failure : book.failures())
        BOOST_ERROR(failure);
    BOOST_TEST(totals.open == 0u);
    BOOST_TEST(totals.completed == totals.started);
    BOOST_TEST(totals.started > 0u);
    BOOST_TEST(open_descriptor_count() == descriptors);
}

} // namespace

BOOST_AUTO_TEST_CASE(Mixed_operations_with_cancellation_Close_and_teardown_on_the_thread_pool_back_end)
{
    run_stress(detail::file_backend::threadpool);
}

BOOST_AUTO_TEST_CASE(Mixed_operations_with_cancellation_Close_and_teardown_on_the_io_uring_back_end,
                     *utf::precondition(uring_available))
{
    run_stress(detail::file_backend::uring);
}

// The FileStream test cases, included once per back-end suite by
// file_stream_test.cpp.

BOOST_AUTO_TEST_CASE(Streams_use_the_back_end_of_their_suite)
{
    const auto& suite = utf::framework::get<utf::test_suite>(utf::framework::current_test_case().p_parent_id);
    const auto expected =
        suite.p_name.get() == "uring_backend" ? detail::file_backend::uring : detail::file_backend::threadpool;
    BOOST_TEST((detail::current_file_backend() == expected));
}

BOOST_AUTO_TEST_CASE(Read_returns_the_bytes_that_were_written)
{
    temp_dir dir;
    const auto bytes = pattern(10000);
    write_file(dir / "a.bin", bytes);
    FileStream fs(dir / "a.bin", FileMode::Open, FileAccess::Read);
    std::vector<std::uint8_t> got(bytes.size());
    int total = 0;
    while (total < static_cast<int>(got.size())) {
        const int n = fs.Read(got, total, static_cast<int>(got.size()) - total);
        BOOST_REQUIRE(n > 0);
        total += n;
    }
    BOOST_TEST(got == bytes);
    BOOST_TEST(fs.Read(got, 0, 10) == 0);
    BOOST_TEST(fs.Position() == 10000);
    BOOST_TEST(fs.Length() == 10000);
    BOOST_TEST(fs.Name() == (dir / "a.bin").string());
}

BOOST_AUTO_TEST_CASE(Opening_a_missing_file_throws_FileNotFoundException_with_FileName)
{
    temp_dir dir;
    const auto path = dir / "missing.txt";
    try {
        FileStream fs(path, FileMode::Open);
        BOOST_FAIL("no exception");
    } catch (const FileNotFoundException& e) {
        BOOST_TEST(e.FileName() == path.string());
    }
    BOOST_CHECK_THROW(FileStream(path, FileMode::Truncate), FileNotFoundException);
}

BOOST_AUTO_TEST_CASE(Opening_in_a_missing_directory_throws_DirectoryNotFoundException)
{
    temp_dir dir;
    BOOST_CHECK_THROW(FileStream(dir / "nope" / "a.txt", FileMode::Open), DirectoryNotFoundException);
    BOOST_CHECK_THROW(FileStream(dir / "nope" / "a.txt", FileMode::Create), DirectoryNotFoundException);
}

BOOST_AUTO_TEST_CASE(CreateNew_on_an_existing_file_throws_IOException)
{
    temp_dir dir;
    write_file(dir / "a.txt", pattern(3));
    BOOST_CHECK_THROW(FileStream(dir / "a.txt", FileMode::CreateNew), IOException);
    BOOST_TEST(read_file(dir / "a.txt").size() == 3u);
}

BOOST_AUTO_TEST_CASE(Create_truncates_and_OpenOrCreate_keeps_the_contents)
{
    temp_dir dir;
    write_file(dir / "a.txt", pattern(30));
    { FileStream fs(dir / "a.txt", FileMode::OpenOrCreate); BOOST_TEST(fs.Length() == 30); }
    { FileStream fs(dir / "a.txt", FileMode::Create); BOOST_TEST(fs.Length() == 0); }
    { FileStream fs(dir / "b.txt", FileMode::OpenOrCreate); BOOST_TEST(fs.Length() == 0); }
    BOOST_TEST(std::filesystem::exists(dir / "b.txt"));
}

BOOST_AUTO_TEST_CASE(Opening_a_directory_throws_UnauthorizedAccessException)
{
    temp_dir dir;
    BOOST_CHECK_THROW(FileStream(dir.path(), FileMode::Open, FileAccess::Read), UnauthorizedAccessException);
}

BOOST_AUTO_TEST_CASE(Opening_without_permission_throws_UnauthorizedAccessException, *utf::precondition(not_root))
{
    temp_dir dir;
    write_file(dir / "secret", pattern(3));
    ::chmod((dir / "secret").c_str(), 0);
    BOOST_CHECK_THROW(FileStream(dir / "secret", FileMode::Open, FileAccess::Read), UnauthorizedAccessException);
}

BOOST_AUTO_TEST_CASE(Invalid_open_arguments_throw_ArgumentException)
{
    temp_dir dir;
    BOOST_CHECK_THROW(FileStream("", FileMode::Open), ArgumentException);
    BOOST_CHECK_THROW(FileStream(dir / "a", static_cast<FileMode>(0)), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(FileStream(dir / "a", FileMode::Create, static_cast<FileAccess>(9)), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(FileStream(dir / "a", FileMode::Create, FileAccess::ReadWrite, FileShare::Read, -1),
                      ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(FileStream(dir / "a", FileMode::Create, FileAccess::Read), ArgumentException);
    BOOST_CHECK_THROW(FileStream(dir / "a", FileMode::Append, FileAccess::ReadWrite), ArgumentException);
    BOOST_TEST(!std::filesystem::exists(dir / "a"));
}

BOOST_AUTO_TEST_CASE(Append_positions_at_the_end_and_refuses_reads_and_seeks_before_it)
{
    temp_dir dir;
    write_file(dir / "log", pattern(100));
    FileStream fs(dir / "log", FileMode::Append);
    BOOST_TEST(!fs.CanRead());
    BOOST_TEST(fs.CanWrite());
    BOOST_TEST(fs.Position() == 100);
    std::vector<std::uint8_t> buf(10, 7);
    BOOST_CHECK_THROW(fs.Read(buf, 0, 10), NotSupportedException);
    BOOST_CHECK_THROW(fs.Seek(50, SeekOrigin::Begin), IOException);
    BOOST_CHECK_THROW(fs.SetLength(10), IOException);
    fs.Write(buf, 0, 10);
    fs.Close();
    const auto got = read_file(dir / "log");
    BOOST_REQUIRE(got.size() == 110u);
    BOOST_TEST(got[105] == 7);
}

BOOST_AUTO_TEST_CASE(Reading_a_write_only_stream_throws_NotSupportedException)
{
    temp_dir dir;
    FileStream fs(dir / "w", FileMode::Create, FileAccess::Write);
    std::vector<std::uint8_t> buf(10);
    bool called = false;
    BOOST_CHECK_THROW(fs.Read(buf, 0, 10), NotSupportedException);
    BOOST_CHECK_THROW(fs.BeginRead(buf, 0, 10, [&](const IAsyncResultPtr&) { called = true; }, {}),
                      NotSupportedException);
    BOOST_CHECK_THROW(fs.ReadAsync(buf, asio::use_future), NotSupportedException);
    BOOST_TEST(!called);
}

BOOST_AUTO_TEST_CASE(Writing_a_read_only_stream_throws_NotSupportedException)
{
    temp_dir dir;
    write_file(dir / "r", pattern(10));
    FileStream fs(dir / "r", FileMode::Open, FileAccess::Read);
    std::vector<std::uint8_t> buf(10);
    BOOST_CHECK_THROW(fs.Write(buf, 0, 10), NotSupportedException);
    BOOST_CHECK_THROW(fs.BeginWrite(buf, 0, 10, {}, {}), NotSupportedException);
    BOOST_CHECK_THROW(fs.WriteAsync(buf, asio::use_future), NotSupportedException);
    BOOST_CHECK_THROW(fs.SetLength(0), NotSupportedException);
}

BOOST_AUTO_TEST_CASE(A_second_FileShare_None_open_throws_IOException)
{
    temp_dir dir;
    FileStream first(dir / "locked", FileMode::Create, FileAccess::ReadWrite, FileShare::None);
    BOOST_CHECK_THROW(FileStream(dir / "locked", FileMode::Open, FileAccess::Read, FileShare::None), IOException);
    BOOST_CHECK_THROW(FileStream(dir / "locked", FileMode::Open, FileAccess::Read, FileShare::Read), IOException);
    first.Close();
    FileStream again(dir / "locked", FileMode::Open, FileAccess::Read, FileShare::None);
}

BOOST_AUTO_TEST_CASE(FileShare_Read_lets_a_second_reader_open_the_file)
{
    temp_dir dir;
    write_file(dir / "shared", pattern(10));
    FileStream first(dir / "shared", FileMode::Open, FileAccess::Read, FileShare::Read);
    FileStream second(dir / "shared", FileMode::Open, FileAccess::Read, FileShare::Read);
    BOOST_CHECK_THROW(FileStream(dir / "shared", FileMode::Open, FileAccess::Read, FileShare::None), IOException);
}

BOOST_AUTO_TEST_CASE(DeleteOnClose_removes_the_file_on_Close)
{
    temp_dir dir;
    {
        FileStream fs(dir / "tmp", FileMode::Create, FileAccess::ReadWrite, FileShare::Read, 4096,
                      FileOptions::DeleteOnClose | FileOptions::SequentialScan);
        BOOST_TEST(std::filesystem::exists(dir / "tmp"));
    }
    BOOST_TEST(!std::filesystem::exists(dir / "tmp"));
}

BOOST_AUTO_TEST_CASE(WriteThrough_and_RandomAccess_streams_read_and_write)
{
    temp_dir dir;
    FileStream fs(dir / "wt", FileMode::Create, FileAccess::ReadWrite, FileShare::Read, 0,
                  FileOptions::WriteThrough | FileOptions::RandomAccess);
    const auto bytes = pattern(100);
    fs.Write(bytes, 0, 100);
    fs.SetPosition(0);
    std::vector<std::uint8_t> got(100);
    BOOST_TEST(fs.Read(got, 0, 100) == 100);
    BOOST_TEST(got == bytes);
}

BOOST_AUTO_TEST_CASE(SetLength_Seek_and_Position_behave_as_in_dotnet)
{
    temp_dir dir;
    FileStream fs(dir / "f", FileMode::Create);
    fs.SetLength(1000);
    BOOST_TEST(fs.Length() == 1000);
    BOOST_TEST(fs.Seek(-10, SeekOrigin::End) == 990);
    BOOST_TEST(fs.Seek(5, SeekOrigin::Current) == 995);
    fs.SetLength(500);
    BOOST_TEST(fs.Position() == 500);
    fs.SetPosition(2000); // beyond the end is allowed
    BOOST_TEST(fs.Position() == 2000);
    BOOST_CHECK_THROW(fs.Seek(-1, SeekOrigin::Begin), IOException);
    BOOST_CHECK_THROW(fs.SetPosition(-1), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(fs.SetLength(-1), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(fs.Seek(0, static_cast<SeekOrigin>(7)), ArgumentException);
}

BOOST_AUTO_TEST_CASE(Small_writes_are_buffered_until_Flush)
{
    temp_dir dir;
    FileStream fs(dir / "b", FileMode::Create, FileAccess::ReadWrite, FileShare::Read, 4096);
    const auto bytes = pattern(300);
    for (int i = 0; i < 300; i += 3)
        fs.Write(bytes, i, 3);
    BOOST_TEST(fs.Position() == 300);
    BOOST_TEST(fs.Length() == 300); // counts the buffered bytes
    BOOST_TEST(read_file(dir / "b").empty());
    fs.Flush();
    BOOST_TEST(read_file(dir / "b") == bytes);
    fs.Flush(true);

    // Small reads come from the buffer and see what was written.
    fs.SetPosition(0);
    std::vector<std::uint8_t> got(300);
    for (int i = 0; i < 300; i += 4) {
        const int n = fs.Read(got, i, std::min(4, 300 - i));
        BOOST_REQUIRE(n == std::min(4, 300 - i));
    }
    BOOST_TEST(got == bytes);
}

BOOST_AUTO_TEST_CASE(An_asynchronous_operation_writes_out_the_buffer_first)
{
    temp_dir dir;
    FileStream fs(dir / "b", FileMode::Create, FileAccess::ReadWrite, FileShare::Read, 4096);
    const auto bytes = pattern(20);
    fs.Write(bytes, 0, 10);
    fs.WriteAsync(bytes, 10, 10, asio::use_future).get();
    BOOST_TEST(read_file(dir / "b") == bytes);
    fs.SetPosition(0);
    std::vector<std::uint8_t> got(20);
    BOOST_TEST(fs.ReadAsync(got, asio::use_future).get() == 20);
    BOOST_TEST(got == bytes);
}

BOOST_AUTO_TEST_CASE(BeginRead_checks_its_arguments_before_starting)
{
    temp_dir dir;
    write_file(dir / "a", pattern(100));
    FileStream fs(dir / "a", FileMode::Open, FileAccess::Read);
    std::vector<std::uint8_t> buf(10);
    std::atomic<bool> called{false};
    AsyncCallback cb = [&](const IAsyncResultPtr&) { called = true; };
    BOOST_CHECK_THROW(fs.BeginRead(std::span<std::uint8_t>(), 0, 1, cb, {}), ArgumentNullException);
    BOOST_CHECK_THROW(fs.BeginRead(buf, -1, 1, cb, {}), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(fs.BeginRead(buf, 0, -1, cb, {}), ArgumentOutOfRangeException);
    BOOST_CHECK_EXCEPTION(fs.BeginRead(buf, 5, 6, cb, {}), ArgumentException, is_bad_range);
    BOOST_CHECK_EXCEPTION(fs.BeginRead(buf, 11, 0, cb, {}), ArgumentException, is_bad_range);
    BOOST_CHECK_EXCEPTION(fs.ReadAsync(buf, 0, 11, asio::use_future), ArgumentException, is_bad_range);
    BOOST_CHECK_EXCEPTION(fs.Read(buf, 0, 11), ArgumentException, is_bad_range);
    BOOST_CHECK_EXCEPTION(fs.BeginWrite(buf, 0, 11, cb, {}), ArgumentException, is_bad_range);
    BOOST_TEST(!called);
    BOOST_TEST(fs.Position() == 0);
}

BOOST_AUTO_TEST_CASE(EndRead_with_nullptr_throws_ArgumentNullException)
{
    temp_dir dir;
    write_file(dir / "a", pattern(10));
    FileStream fs(dir / "a", FileMode::Open, FileAccess::Read);
    BOOST_CHECK_THROW(fs.EndRead(nullptr), ArgumentNullException);
    BOOST_CHECK_THROW(fs.EndWrite(nullptr), ArgumentNullException);
}

BOOST_AUTO_TEST_CASE(EndRead_called_twice_throws_InvalidOperationException)
{
    temp_dir dir;
    write_file(dir / "a", pattern(10));
    FileStream fs(dir / "a", FileMode::Open, FileAccess::Read);
    std::vector<std::uint8_t> buf(10);
    auto ar = fs.BeginRead(buf, 0, 10, {}, {});
    BOOST_TEST(fs.EndRead(ar) == 10);
    BOOST_CHECK_THROW(fs.EndRead(ar), InvalidOperationException);
}

BOOST_AUTO_TEST_CASE(EndRead_with_a_foreign_result_throws_InvalidOperationException)
{
    temp_dir dir;
    write_file(dir / "a", pattern(10));
    FileStream fs(dir / "a", FileMode::Open, FileAccess::ReadWrite);
    FileStream other(dir / "a", FileMode::Open, FileAccess::Read);
    std::vector<std::uint8_t> buf(10);
    auto from_other = other.BeginRead(buf, 0, 5, {}, {});
    BOOST_CHECK_THROW(fs.EndRead(from_other), InvalidOperationException);
    auto write = fs.BeginWrite(buf, 0, 0, {}, {});
    BOOST_CHECK_THROW(fs.EndRead(write), InvalidOperationException);
    fs.EndWrite(write);
    BOOST_TEST(other.EndRead(from_other) == 5);
}

BOOST_AUTO_TEST_CASE(A_closed_stream_throws_ObjectDisposedException)
{
    temp_dir dir;
    write_file(dir / "a", pattern(10));
    FileStream fs(dir / "a", FileMode::Open, FileAccess::ReadWrite);
    fs.Close();
    fs.Close(); // a second Close does nothing
    std::vector<std::uint8_t> buf(10);
    BOOST_TEST(!fs.CanRead());
    BOOST_TEST(!fs.CanWrite());
    BOOST_TEST(!fs.CanSeek());
    BOOST_CHECK_THROW(fs.Read(buf, 0, 10), ObjectDisposedException);
    BOOST_CHECK_THROW(fs.BeginRead(buf, 0, 10, {}, {}), ObjectDisposedException);
    BOOST_CHECK_THROW(fs.ReadAsync(buf, asio::use_future), ObjectDisposedException);
    BOOST_CHECK_THROW(fs.BeginWrite(buf, 0, 10, {}, {}), ObjectDisposedException);
    BOOST_CHECK_THROW(fs.Position(), ObjectDisposedException);
    BOOST_CHECK_THROW(fs.Length(), ObjectDisposedException);
    BOOST_CHECK_THROW(fs.Flush(), ObjectDisposedException);
}

BOOST_AUTO_TEST_CASE(Asio_members_report_a_closed_stream_as_bad_descriptor)
{
    temp_dir dir;
    write_file(dir / "a", pattern(10));
    FileStream fs(dir / "a", FileMode::Open, FileAccess::Read);
    fs.Close();
    std::vector<std::uint8_t> buf(10);
    auto [ec, n] = read_some_outcome(fs, buf);
    BOOST_TEST((ec == asio::error::bad_descriptor));
    BOOST_TEST(n == 0u);
}

BOOST_AUTO_TEST_CASE(Reading_at_the_end_of_the_file_returns_0)
{
    temp_dir dir;
    write_file(dir / "a", pattern(10));
    FileStream fs(dir / "a", FileMode::Open, FileAccess::Read);
    fs.Seek(0, SeekOrigin::End);
    std::vector<std::uint8_t> buf(10);
    BOOST_TEST(fs.EndRead(fs.BeginRead(buf, 0, 10, {}, {})) == 0);
    BOOST_TEST(fs.ReadAsync(buf, asio::use_future).get() == 0);
    BOOST_TEST(fs.Read(buf, 0, 10) == 0);
    BOOST_TEST(fs.Position() == 10);
    auto [ec, n] = read_some_outcome(fs, buf);
    BOOST_TEST((ec == asio::error::eof));
    BOOST_TEST(n == 0u);
}

BOOST_AUTO_TEST_CASE(A_short_read_at_the_end_moves_Position_back_to_the_bytes_read)
{
    temp_dir dir;
    write_file(dir / "a", pattern(100));
    FileStream fs(dir / "a", FileMode::Open, FileAccess::Read);
    fs.SetPosition(90);
    std::vector<std::uint8_t> a(50), b(50);
    auto first = fs.BeginRead(a, 0, 50, {}, {});
    auto second = fs.BeginRead(b, 0, 50, {}, {});
    BOOST_TEST(fs.EndRead(first) == 10);
    BOOST_TEST(fs.EndRead(second) == 0);
    BOOST_TEST(fs.Position() == 100);
}

BOOST_AUTO_TEST_CASE(BeginRead_of_cached_data_completes_synchronously_with_the_callback_inline)
{
    temp_dir dir;
    write_file(dir / "a", pattern(4096));
    FileStream fs(dir / "a", FileMode::Open, FileAccess::Read);
    std::vector<std::uint8_t> buf(4096);
    BOOST_REQUIRE(fs.Read(buf, 0, 4096) == 4096); // the file is in the page cache now
    fs.SetPosition(0);
    std::thread::id callback_thread;
    bool synchronous_in_callback = false;
    auto ar = fs.BeginRead(buf, 0, 4096,
                           [&](const IAsyncResultPtr& r) {
                               callback_thread = std::this_thread::get_id();
                               synchronous_in_callback = r->CompletedSynchronously();
                           },
                           {});
    BOOST_TEST(ar->CompletedSynchronously());
    BOOST_TEST(ar->IsCompleted());
    BOOST_TEST((callback_thread == std::this_thread::get_id()));
    BOOST_TEST(synchronous_in_callback);
    BOOST_TEST(fs.EndRead(ar) == 4096);
}

BOOST_AUTO_TEST_CASE(Chained_synchronous_completions_stop_nesting_after_a_limit)
{
    temp_dir dir;
    write_file(dir / "a", pattern(2000));
    auto fs = std::make_shared<FileStream>(dir / "a", FileMode::Open, FileAccess::Read);
    std::vector<std::uint8_t> warm(2000);
    fs->Read(warm, 0, 2000);
    fs->SetPosition(0);

    // Each callback begins the next 1-byte read; depth counts how many
    // callbacks are on this thread's stack at once. The chain is shared with
    // the callbacks, because the last of them may still be unwinding on a
    // pool thread when the test has seen the end.
    struct chain : std::enable_shared_from_this<chain> {
        std::shared_ptr<FileStream> fs;
        std::array<std::uint8_t, 1> byte{};
        int max_depth = 0;
        int reads = 0;
        int posted = 0;
        std::promise<void> done;
        std::mutex mutex;

        void next()
        {
            fs->BeginRead(byte, 0, 1, [self = shared_from_this()](const IAsyncResultPtr& ar) { self->on_read(ar); }, {});
        }
        void on_read(const IAsyncResultPtr& ar)
        {
            static thread_local int depth = 0;
            std::unique_lock lock(mutex);
            if (!ar->CompletedSynchronously())
                ++posted;
            ++depth;
            max_depth = std::max(max_depth, depth);
            if (fs->EndRead(ar) == 0) {
                done.set_value();
            } else {
                ++reads;
                lock.unlock();
                next();
            }
            --depth;
        }
    };
    auto c = std::make_shared<chain>();
    c->fs = fs;
    auto f = c->done.get_future();
    c->next();
    get_within(f);
    std::lock_guard lock(c->mutex);
    BOOST_TEST(c->reads == 2000);
    // 16 nested inline completions, plus the posted callback that starts
    // each new run of them.
    BOOST_TEST(c->max_depth <= 17);
    BOOST_TEST(c->posted > 0);
}

BOOST_AUTO_TEST_CASE(ReadAsync_posts_its_completion_even_for_cached_data)
{
    temp_dir dir;
    write_file(dir / "a", pattern(100));
    asio::io_context io;
    FileStream fs(io.get_executor(), dir / "a", FileMode::Open, FileAccess::Read);
    std::vector<std::uint8_t> buf(100);
    fs.Read(buf, 0, 100);
    fs.SetPosition(0);
    int got = -1;
    fs.ReadAsync(buf, [&](std::exception_ptr e, int n) {
        BOOST_TEST(!e);
        got = n;
    });
    BOOST_TEST(got == -1);
    io.run();
    BOOST_TEST(got == 100);
}

BOOST_AUTO_TEST_CASE(co_await_ReadAsync_of_cached_data_continues_before_work_queued_earlier_runs)
{
    temp_dir dir;
    write_file(dir / "a", pattern(100));
    asio::io_context io;
    FileStream fs(io.get_executor(), dir / "a", FileMode::Open, FileAccess::Read);
    std::vector<std::uint8_t> buf(100);
    fs.Read(buf, 0, 100);
    fs.SetPosition(0);
    int got = -1;
    bool queued_ran = false;
    std::optional<bool> queued_ran_before_the_read_returned;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            asio::post(io, [&] { queued_ran = true; });
            got = co_await fs.ReadAsync(buf, asio::use_awaitable);
            queued_ran_before_the_read_returned = queued_ran;
        },
        asio::detached);
    io.run();
    BOOST_TEST(got == 100);
    BOOST_REQUIRE(queued_ran_before_the_read_returned.has_value());
    BOOST_TEST(!*queued_ran_before_the_read_returned);
    BOOST_TEST(queued_ran);
}

BOOST_AUTO_TEST_CASE(A_coroutine_reading_cached_data_in_a_loop_lets_work_queued_meanwhile_run)
{
    temp_dir dir;
    write_file(dir / "a", pattern(2000));
    asio::io_context io;
    FileStream fs(io.get_executor(), dir / "a", FileMode::Open, FileAccess::Read);
    std::vector<std::uint8_t> warm(2000);
    fs.Read(warm, 0, 2000);
    fs.SetPosition(0);
    int reads = 0;
    std::optional<int> reads_when_queued_work_ran;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            asio::post(io, [&] { reads_when_queued_work_ran = reads; });
            std::array<std::uint8_t, 1> byte{};
            while (co_await fs.ReadAsync(byte, asio::use_awaitable) == 1)
                ++reads;
        },
        asio::detached);
    io.run();
    BOOST_TEST(reads == 2000);
    BOOST_REQUIRE(reads_when_queued_work_ran.has_value());
    // Reads that complete at once continue the coroutine inline up to the
    // nesting limit of 16; the next one is posted, behind the queued work.
    BOOST_TEST(*reads_when_queued_work_ran <= 16);
}

BOOST_AUTO_TEST_CASE(Completions_run_on_the_executor_the_stream_was_given)
{
    temp_dir dir;
    write_file(dir / "a", pattern(1 << 20));
    running_context ctx;
    FileStream fs(ctx.io().get_executor(), dir / "a", FileMode::Open, FileAccess::Read);
    std::vector<std::uint8_t> buf(1 << 20);
    std::promise<std::thread::id> where;
    fs.ReadAsync(buf, [&](std::exception_ptr, int) { where.set_value(std::this_thread::get_id()); });
    auto f = where.get_future();
    BOOST_TEST((get_within(f) == ctx.thread_id()));
}

BOOST_AUTO_TEST_CASE(A_64_MiB_file_reads_the_same_through_every_face)
{
    const auto& big = big_file::instance();
    constexpr int chunk = 1 << 16;
    std::vector<std::uint8_t> buf(chunk);

    // Synchronous Read.
    {
        FileStream fs(big.path, FileMode::Open, FileAccess::Read);
        std::uint64_t h = 0xcbf29ce484222325ull;
        std::size_t total = 0;
        for (int n; (n = fs.Read(buf, 0, chunk)) > 0; total += static_cast<std::size_t>(n))
            h = checksum(buf.data(), static_cast<std::size_t>(n), h);
        BOOST_TEST(total == big_size);
        BOOST_TEST(h == big.sum);
    }
    // BeginRead/EndRead, chained in the callback.
    {
        FileStream fs(big.path, FileMode::Open, FileAccess::Read);
        std::uint64_t h = 0xcbf29ce484222325ull;
        std::size_t total = 0;
        std::promise<void> done;
        std::function<void(const IAsyncResultPtr&)> on_read = [&](const IAsyncResultPtr& ar) {
            const int n = fs.EndRead(ar);
            if (n == 0)
                return done.set_value();
            h = checksum(buf.data(), static_cast<std::size_t>(n), h);
            total += static_cast<std::size_t>(n);
            fs.BeginRead(buf, 0, chunk, on_read, {});
        };
        fs.BeginRead(buf, 0, chunk, on_read, {});
        auto f = done.get_future();
        get_within(f);
        BOOST_TEST(total == big_size);
        BOOST_TEST(h == big.sum);
    }
    // ReadAsync with use_future.
    {
        FileStream fs(big.path, FileMode::Open, FileAccess::Read);
        std::uint64_t h = 0xcbf29ce484222325ull;
        std::size_t total = 0;
        for (int n; (n = fs.ReadAsync(buf, 0, chunk, asio::use_future).get()) > 0; total += static_cast<std::size_t>(n))
            h = checksum(buf.data(), static_cast<std::size_t>(n), h);
        BOOST_TEST(total == big_size);
        BOOST_TEST(h == big.sum);
    }
    // ReadAsync with use_awaitable, and asio::async_read, in coroutines.
    asio::io_context io;
    std::uint64_t awaited = 0, composed = 0;
    std::size_t awaited_total = 0, composed_total = 0;
    FileStream fs1(io.get_executor(), big.path, FileMode::Open, FileAccess::Read);
    FileStream fs2(io.get_executor(), big.path, FileMode::Open, FileAccess::Read);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            std::vector<std::uint8_t> b(chunk);
            std::uint64_t h = 0xcbf29ce484222325ull;
            for (int n; (n = co_await fs1.ReadAsync(b, asio::use_awaitable)) > 0;) {
                h = checksum(b.data(), static_cast<std::size_t>(n), h);
                awaited_total += static_cast<std::size_t>(n);
            }
            awaited = h;
        },
        asio::detached);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            std::vector<std::uint8_t> b(3 * chunk + 17); // not a divisor of the size
            std::uint64_t h = 0xcbf29ce484222325ull;
            for (;;) {
                auto [ec, n] = co_await asio::async_read(fs2, asio::buffer(b), asio::as_tuple(asio::use_awaitable));
                h = checksum(b.data(), n, h);
                composed_total += n;
                if (ec)
                    break;
            }
            composed = h;
        },
        asio::detached);
    io.run();
    BOOST_TEST(awaited_total == big_size);
    BOOST_TEST(awaited == big.sum);
    BOOST_TEST(composed_total == big_size);
    BOOST_TEST(composed == big.sum);
}

BOOST_AUTO_TEST_CASE(Sixty_four_outstanding_BeginReads_cover_consecutive_ranges)
{
    temp_dir dir;
    constexpr int count = 64, size = 4096;
    const auto bytes = pattern(count * size - 100); // the last read is short
    write_file(dir / "a", bytes);
    // Not cached, where the kernel lets us drop it, so that the back-end does
    // the work.
    drop_from_cache(dir / "a");
    FileStream fs(dir / "a", FileMode::Open, FileAccess::Read);
    std::vector<std::vector<std::uint8_t>> buffers(count, std::vector<std::uint8_t>(size));
    std::vector<IAsyncResultPtr> results;
    for (int i = 0; i < count; ++i)
        results.push_back(fs.BeginRead(buffers[static_cast<std::size_t>(i)], 0, size, {}, {}));
    // Reads that already completed gave back what they did not read.
    BOOST_TEST(fs.Position() >= static_cast<std::int64_t>(bytes.size()));
    BOOST_TEST(fs.Position() <= count * size);
    std::size_t total = 0;
    for (int i = 0; i < count; ++i) {
        const int n = fs.EndRead(results[static_cast<std::size_t>(i)]);
        BOOST_TEST(n == (i == count - 1 ? size - 100 : size));
        BOOST_TEST(std::equal(buffers[static_cast<std::size_t>(i)].begin(), buffers[static_cast<std::size_t>(i)].begin() + n,
                              bytes.begin() + i * size));
        total += static_cast<std::size_t>(n);
    }
    BOOST_TEST(total == bytes.size());
    BOOST_TEST(fs.Position() == static_cast<std::int64_t>(bytes.size()));
}

BOOST_AUTO_TEST_CASE(Close_with_reads_in_flight_completes_them_and_closes_the_descriptor_once)
{
    temp_dir dir;
    write_file(dir / "a", pattern(1 << 20));
    drop_from_cache(dir / "a");
    const auto before = open_descriptor_count();
    constexpr int count = 64, size = 1 << 14;
    std::vector<std::vector<std::uint8_t>> buffers(count, std::vector<std::uint8_t>(size));
    std::vector<IAsyncResultPtr> results;
    std::atomic<int> callbacks{0};
    {
        FileStream fs(dir / "a", FileMode::Open, FileAccess::Read);
        for (int i = 0; i < count; ++i)
            results.push_back(
                fs.BeginRead(buffers[static_cast<std::size_t>(i)], 0, size, [&](const IAsyncResultPtr&) { ++callbacks; }, {}));
        fs.Close();
        BOOST_CHECK_THROW(fs.BeginRead(buffers[0], 0, size, {}, {}), ObjectDisposedException);
        // The stream object goes here, with operations possibly still in flight.
    }
    for (const auto& ar : results)
        BOOST_REQUIRE(ar->AsyncWaitHandle().WaitOne(generous));
    // The callbacks run after the wait handle is signalled; wait for them too.
    const auto deadline = std::chrono::steady_clock::now() + generous;
    while (callbacks.load() != count && std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield();
    BOOST_TEST(callbacks.load() == count);
    BOOST_TEST(open_descriptor_count() == before);
}

BOOST_AUTO_TEST_CASE(EndRead_after_Close_returns_the_data_or_throws_OperationCanceledException)
{
    temp_dir dir;
    const auto bytes = pattern(1 << 20);
    write_file(dir / "a", bytes);
    drop_from_cache(dir / "a");
    constexpr int count = 64, size = 1 << 14;
    std::vector<std::vector<std::uint8_t>> buffers(count, std::vector<std::uint8_t>(size));
    FileStream fs(dir / "a", FileMode::Open, FileAccess::Read);
    std::vector<IAsyncResultPtr> results;
    for (int i = 0; i < count; ++i)
        results.push_back(fs.BeginRead(buffers[static_cast<std::size_t>(i)], 0, size, {}, {}));
    fs.Close();
    int finished = 0, canceled = 0;
    for (int i = 0; i < count; ++i) {
        try {
            const int n = fs.EndRead(results[static_cast<std::size_t>(i)]);
            BOOST_TEST(n == size);
            BOOST_TEST(std::equal(buffers[static_cast<std::size_t>(i)].begin(), buffers[static_cast<std::size_t>(i)].end(),
                                  bytes.begin() + i * size));
            ++finished;
        } catch (const OperationCanceledException&) {
            ++canceled;
        }
    }
    BOOST_TEST(finished + canceled == count);
    BOOST_TEST_MESSAGE(finished << " reads finished, " << canceled << " were cancelled by Close");
}

BOOST_AUTO_TEST_CASE(No_descriptor_leaks_after_10000_open_read_close_cycles)
{
    temp_dir dir;
    write_file(dir / "a", pattern(64));
    const auto before = open_descriptor_count();
    std::vector<std::uint8_t> buf(64);
    for (int i = 0; i < 10000; ++i) {
        FileStream fs(dir / "a", FileMode::Open, FileAccess::Read, FileShare::Read, 0);
        if (i % 2 == 0)
            BOOST_REQUIRE(fs.Read(buf, 0, 64) == 64);
        else
            BOOST_REQUIRE(fs.EndRead(fs.BeginRead(buf, 0, 64, {}, {})) == 64);
    }
    BOOST_TEST(open_descriptor_count() == before);
}

BOOST_AUTO_TEST_CASE(Writes_through_every_face_reach_the_file)
{
    temp_dir dir;
    const auto bytes = pattern(40000);
    {
        FileStream fs(dir / "w", FileMode::Create, FileAccess::Write, FileShare::Read, 0);
        fs.EndWrite(fs.BeginWrite(bytes, 0, 10000, {}, {}));
        fs.WriteAsync(bytes, 10000, 10000, asio::use_future).get();
        std::size_t n = asio::async_write(fs, asio::buffer(bytes.data() + 20000, 10000), asio::use_future).get();
        BOOST_TEST(n == 10000u);
        fs.Write(bytes, 30000, 10000);
        BOOST_TEST(fs.Position() == 40000);
        fs.FlushAsync(asio::use_future).get();
    }
    BOOST_TEST(read_file(dir / "w") == bytes);
}

BOOST_AUTO_TEST_CASE(Outstanding_BeginWrites_cover_consecutive_ranges)
{
    temp_dir dir;
    constexpr int count = 32, size = 1000;
    const auto bytes = pattern(count * size);
    {
        FileStream fs(dir / "w", FileMode::Create, FileAccess::Write);
        std::vector<IAsyncResultPtr> results;
        for (int i = 0; i < count; ++i)
            results.push_back(fs.BeginWrite(bytes, i * size, size, {}, {}));
        for (auto& ar : results)
            fs.EndWrite(ar);
        BOOST_TEST(fs.Position() == count * size);
    }
    BOOST_TEST(read_file(dir / "w") == bytes);
}

BOOST_AUTO_TEST_CASE(CopyToAsync_copies_the_rest_of_the_file)
{
    temp_dir dir;
    const auto bytes = pattern(200000);
    write_file(dir / "src", bytes);
    FileStream src(dir / "src", FileMode::Open, FileAccess::Read);
    src.SetPosition(1000);
    {
        FileStream dst(dir / "dst", FileMode::Create, FileAccess::Write);
        src.CopyToAsync(dst, 4096, asio::use_future).get();
        BOOST_TEST(dst.Position() == 199000);
    }
    BOOST_TEST(read_file(dir / "dst") == std::vector<std::uint8_t>(bytes.begin() + 1000, bytes.end()));
    MemoryStream memory;
    src.SetPosition(0);
    src.CopyToAsync(memory, asio::use_future).get();
    BOOST_TEST(memory.ToArray() == bytes);
    BOOST_CHECK_THROW(src.CopyToAsync(memory, 0, asio::use_future), ArgumentOutOfRangeException);
    BOOST_CHECK_THROW(memory.CopyToAsync(src, asio::use_future), NotSupportedException);
}

BOOST_AUTO_TEST_CASE(A_failed_asynchronous_read_throws_a_dotnet_exception_from_EndRead_and_ReadAsync)
{
    // The kernel refuses a read whose range would pass the largest offset.
    temp_dir dir;
    write_file(dir / "a", pattern(10));
    FileStream fs(dir / "a", FileMode::Open, FileAccess::Read);
    std::vector<std::uint8_t> buf(100);
    fs.SetPosition(std::numeric_limits<std::int64_t>::max() - 5);
    const auto r = fs.BeginRead(buf, 0, 100, {}, {});
    BOOST_CHECK_THROW(fs.EndRead(r), Exception);
    fs.SetPosition(std::numeric_limits<std::int64_t>::max() - 5);
    BOOST_CHECK_THROW(fs.ReadAsync(buf, asio::use_future).get(), Exception);
    BOOST_TEST(fs.Position() == std::numeric_limits<std::int64_t>::max() - 5);
}

BOOST_AUTO_TEST_CASE(Cancelling_through_the_cancellation_slot_before_the_read_starts_gives_OperationCanceledException)
{
    // The read is started on an executor whose context does not run, with
    // the signal emitted before the back-end could start: either the fast
    // path already finished it (a cached file) or it completes as canceled.
    temp_dir dir;
    write_file(dir / "a", pattern(1 << 16));
    asio::io_context io;
    FileStream fs(io.get_executor(), dir / "a", FileMode::Open, FileAccess::Read);
    std::vector<std::uint8_t> buf(1 << 16);
    asio::cancellation_signal signal;
    std::optional<std::exception_ptr> outcome;
    fs.ReadAsync(buf, asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr e, int) { outcome = e; }));
    signal.emit(asio::cancellation_type::total);
    io.run();
    BOOST_REQUIRE(outcome.has_value());
    if (*outcome)
        BOOST_CHECK_THROW(std::rethrow_exception(*outcome), OperationCanceledException);
}

BOOST_AUTO_TEST_CASE(Every_XxxAsync_with_a_live_token_transfers_the_data_and_releases_its_registration)
{
    temp_dir dir;
    const auto bytes = pattern(300000);
    CancellationTokenSource cts;
    const auto token = cts.Token();
    {
        FileStream fs(dir / "a", FileMode::Create, FileAccess::ReadWrite);
        fs.WriteAsync(bytes, 0, 100000, token, asio::use_future).get();
        fs.WriteAsync(std::span<const std::uint8_t>(bytes).subspan(100000), token, asio::use_future).get();
        fs.FlushAsync(token, asio::use_future).get();
        BOOST_TEST(fs.Position() == 300000);
        fs.SetPosition(0);
        std::vector<std::uint8_t> got(300000);
        BOOST_TEST(fs.ReadAsync(got, 0, 1000, token, asio::use_future).get() == 1000);
        int total = 1000;
        for (int n; (n = fs.ReadAsync(std::span<std::uint8_t>(got).subspan(static_cast<std::size_t>(total)), token,
                                      asio::use_future)
                             .get()) > 0;)
            total += n;
        BOOST_TEST(total == 300000);
        BOOST_TEST(got == bytes);
        fs.SetPosition(0);
        FileStream copy(dir / "b", FileMode::Create, FileAccess::Write);
        fs.CopyToAsync(copy, token, asio::use_future).get();
        fs.SetPosition(0);
        FileStream chunked(dir / "c", FileMode::Create, FileAccess::Write);
        fs.CopyToAsync(chunked, 4096, token, asio::use_future).get();
    }
    BOOST_TEST(read_file(dir / "b") == bytes);
    BOOST_TEST(read_file(dir / "c") == bytes);
    BOOST_TEST(detail::registration_count(token) == 0u);
}

BOOST_AUTO_TEST_CASE(An_already_canceled_token_leaves_the_file_the_buffer_and_the_position_untouched)
{
    temp_dir dir;
    const auto bytes = pattern(5000);
    write_file(dir / "a", bytes);
    const CancellationToken canceled(true);
    FileStream fs(dir / "a", FileMode::Open, FileAccess::ReadWrite);
    fs.SetPosition(100);
    const std::vector<std::uint8_t> small(10, 0x55);
    fs.Write(small, 0, 10); // buffered: an operation that starts writes it out
    std::vector<std::uint8_t> buf(1000, 0xEE);
    BOOST_CHECK_THROW(fs.ReadAsync(buf, canceled, asio::use_future).get(), OperationCanceledException);
    BOOST_CHECK_THROW(fs.ReadAsync(buf, 0, 10, canceled, asio::use_future).get(), OperationCanceledException);
    BOOST_CHECK_THROW(fs.WriteAsync(buf, canceled, asio::use_future).get(), OperationCanceledException);
    BOOST_CHECK_THROW(fs.WriteAsync(buf, 0, 10, canceled, asio::use_future).get(), OperationCanceledException);
    BOOST_CHECK_THROW(fs.FlushAsync(canceled, asio::use_future).get(), OperationCanceledException);
    MemoryStream destination;
    BOOST_CHECK_THROW(fs.CopyToAsync(destination, canceled, asio::use_future).get(), OperationCanceledException);
    BOOST_TEST(fs.Position() == 110);
    BOOST_TEST(read_file(dir / "a") == bytes); // the buffered bytes are still in the buffer
    BOOST_TEST(buf == std::vector<std::uint8_t>(1000, 0xEE));
    BOOST_TEST(destination.Length() == 0);
    fs.Flush();
    BOOST_TEST(read_file(dir / "a")[105] == 0x55);
}

BOOST_AUTO_TEST_CASE(Cancelling_a_WriteAsync_in_flight_writes_nothing_or_all_and_the_position_counts_what_was_written)
{
    // On the thread pool the write waits behind busy threads, so the
    // cancellation reaches it before its pwrite: nothing is written. io_uring
    // may finish the write before the cancellation arrives.
    temp_dir dir;
    const auto bytes = pattern(1 << 20);
    FileStream fs(dir / "w", FileMode::Create, FileAccess::Write, FileShare::Read, 0);
    fs.SetPosition(10);
    CancellationTokenSource cts;
    std::optional<blocking_io_hold> hold;
    if (uses_thread_pool())
        hold.emplace();
    auto done = fs.WriteAsync(bytes, cts.Token(), asio::use_future);
    cts.Cancel();
    hold.reset();
    BOOST_REQUIRE(done.wait_for(generous) == std::future_status::ready);
    bool canceled = false;
    try {
        done.get();
    } catch (const OperationCanceledException&) {
        canceled = true;
    }
    if (uses_thread_pool())
        BOOST_TEST(canceled);
    const auto length = static_cast<std::int64_t>(std::filesystem::file_size(dir / "w"));
    BOOST_TEST(fs.Position() == (canceled ? std::max<std::int64_t>(10, length) : 10 + (1 << 20)));
    if (!canceled)
        BOOST_TEST(length == 10 + (1 << 20));
    BOOST_TEST(detail::registration_count(cts.Token()) == 0u);
}

BOOST_AUTO_TEST_CASE(Cancelling_a_ReadAsync_in_flight_returns_the_bytes_or_leaves_the_position_where_it_was)
{
    temp_dir dir;
    const auto bytes = pattern(1 << 20);
    write_file(dir / "a", bytes);
    drop_from_cache(dir / "a");
    FileStream fs(dir / "a", FileMode::Open, FileAccess::Read, FileShare::Read, 0);
    fs.SetPosition(4096);
    std::vector<std::uint8_t> buf(1 << 16);
    CancellationTokenSource cts;
    std::optional<blocking_io_hold> hold;
    if (uses_thread_pool())
        hold.emplace();
    auto done = fs.ReadAsync(buf, cts.Token(), asio::use_future);
    cts.Cancel();
    hold.reset();
    BOOST_REQUIRE(done.wait_for(generous) == std::future_status::ready);
    try {
        const int n = done.get();
        // The fast path found the data cached, or io_uring finished first.
        BOOST_TEST(n > 0);
        BOOST_TEST(std::equal(buf.begin(), buf.begin() + n, bytes.begin() + 4096));
        BOOST_TEST(fs.Position() == 4096 + n);
        BOOST_TEST_MESSAGE("the read finished before the cancellation with " << n << " bytes");
    } catch (const OperationCanceledException&) {
        BOOST_TEST(fs.Position() == 4096);
        BOOST_TEST_MESSAGE("the read was cancelled");
    }
    // Whatever happened, the next read continues with the right bytes.
    const int n = fs.ReadAsync(buf, asio::use_future).get();
    BOOST_TEST(n > 0);
    BOOST_TEST(std::equal(buf.begin(), buf.begin() + n, bytes.begin() + fs.Position() - n));
    BOOST_TEST(detail::registration_count(cts.Token()) == 0u);
}

BOOST_AUTO_TEST_CASE(Cancelling_CopyToAsync_in_flight_leaves_the_source_just_past_what_reached_the_destination)
{
    temp_dir dir;
    const auto bytes = pattern(1 << 20);
    write_file(dir / "src", bytes);
    FileStream src(dir / "src", FileMode::Open, FileAccess::Read);
    src.SetPosition(1000);
    CancellationTokenSource cts;
    std::future<void> done;
    {
        FileStream dst(dir / "dst", FileMode::Create, FileAccess::Write, FileShare::Read, 0);
        std::optional<blocking_io_hold> hold;
        if (uses_thread_pool())
            hold.emplace();
        done = src.CopyToAsync(dst, 4096, cts.Token(), asio::use_future);
        cts.Cancel();
        hold.reset();
        BOOST_REQUIRE(done.wait_for(generous) == std::future_status::ready);
        bool canceled = false;
        try {
            done.get();
        } catch (const OperationCanceledException&) {
            canceled = true;
        }
        BOOST_TEST(src.Position() == 1000 + dst.Position());
        // On the thread pool the first write waited behind the held threads;
        // io_uring may even finish the copy before Cancel() is called.
        if (uses_thread_pool()) {
            BOOST_TEST(canceled);
            BOOST_TEST(dst.Position() == 0);
        }
        if (!canceled)
            BOOST_TEST(dst.Position() == static_cast<std::int64_t>(bytes.size()) - 1000);
    }
    const auto copied = read_file(dir / "dst");
    BOOST_TEST(src.Position() == 1000 + static_cast<std::int64_t>(copied.size()));
    BOOST_TEST(std::equal(copied.begin(), copied.end(), bytes.begin() + 1000));
    // A second copy resumes where the first stopped.
    {
        FileStream dst(dir / "dst", FileMode::Append, FileAccess::Write);
        src.CopyToAsync(dst, asio::use_future).get();
    }
    BOOST_TEST(read_file(dir / "dst") == std::vector<std::uint8_t>(bytes.begin() + 1000, bytes.end()));
}

// Races and teardown: cancellation, Close and the destruction of the
// io_context, in every order, with operations in flight.

BOOST_AUTO_TEST_CASE(Cancel_racing_reads_and_writes_on_two_threads_never_loses_or_doubles_a_completion)
{
    temp_dir dir;
    write_file(dir / "a", pattern(1 << 16));
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    std::thread runners[] = {std::thread([&] { io.run(); }), std::thread([&] { io.run(); })};
    const auto before = open_descriptor_count();
    constexpr int rounds = 1000, per_direction = 4;
    std::vector<std::uint8_t> read_buffers[per_direction], write_buffers[per_direction];
    for (int i = 0; i < per_direction; ++i) {
        read_buffers[i].resize(4096);
        write_buffers[i] = pattern(4096, static_cast<std::uint32_t>(i));
    }
    std::atomic<int> completed{0}, canceled{0};
    {
        FileStream fs(io.get_executor(), dir / "a", FileMode::Open, FileAccess::ReadWrite, FileShare::Read, 0);
        for (int round = 0; round < rounds; ++round) {
            CancellationTokenSource cts;
            std::atomic<int> calls[2 * per_direction] = {};
            std::promise<void> all_done;
            std::atomic<int> remaining{2 * per_direction};
            auto finished = [&](int index, const std::exception_ptr& error) {
                ++calls[index];
                if (error) {
                    try {
                        std::rethrow_exception(error);
                    } catch (const OperationCanceledException&) {
                        ++canceled;
                    }
                } else {
                    ++completed;
                }
                if (--remaining == 0)
                    all_done.set_value();
            };
            fs.SetPosition(0);
            for (int i = 0; i < per_direction; ++i) {
                fs.ReadAsync(read_buffers[i], cts.Token(),
                             [&, i](std::exception_ptr e, int) { finished(i, e); });
                fs.WriteAsync(write_buffers[i], cts.Token(),
                              [&, i](std::exception_ptr e) { finished(per_direction + i, e); });
            }
            std::thread canceller([&] { cts.Cancel(); });
            auto done = all_done.get_future();
            BOOST_REQUIRE_MESSAGE(done.wait_for(generous) == std::future_status::ready,
                                  "round " << round << ": " << remaining.load() << " operations never completed");
            canceller.join();
            for (auto& c : calls)
                BOOST_REQUIRE(c.load() == 1);
        }
    }
    BOOST_TEST_MESSAGE(completed.load() << " operations completed, " << canceled.load() << " were cancelled");
    BOOST_TEST(completed.load() + canceled.load() == rounds * 2 * per_direction);
    work.reset();
    for (auto& t : runners)
        t.join();
    BOOST_TEST(open_descriptor_count() == before);
}

BOOST_AUTO_TEST_CASE(Cancel_racing_Close_with_uncached_reads_in_flight_completes_every_read)
{
    temp_dir dir;
    const auto bytes = pattern(1 << 20);
    write_file(dir / "a", bytes);
    const auto before = open_descriptor_count();
    constexpr int rounds = 50, count = 8, size = 1 << 16;
    std::vector<std::vector<std::uint8_t>> buffers(count, std::vector<std::uint8_t>(size));
    for (int round = 0; round < rounds; ++round) {
        drop_from_cache(dir / "a");
        CancellationTokenSource cts;
        std::vector<std::future<int>> reads;
        FileStream fs(dir / "a", FileMode::Open, FileAccess::Read, FileShare::Read, 0);
        for (int i = 0; i < count; ++i)
            reads.push_back(fs.ReadAsync(buffers[static_cast<std::size_t>(i)], cts.Token(), asio::use_future));
        std::thread canceller([&] { cts.Cancel(); });
        fs.Close();
        canceller.join();
        for (int i = 0; i < count; ++i) {
            auto& read = reads[static_cast<std::size_t>(i)];
            BOOST_REQUIRE_MESSAGE(read.wait_for(generous) == std::future_status::ready,
                                  "round " << round << ": read " << i << " never completed");
            try {
                const int n = read.get();
                BOOST_TEST(n > 0);
                BOOST_TEST(std::equal(buffers[static_cast<std::size_t>(i)].begin(),
                                      buffers[static_cast<std::size_t>(i)].begin() + n, bytes.begin() + i * size));
            } catch (const OperationCanceledException&) {
            }
        }
    }
    BOOST_TEST(open_descriptor_count() == before);
}

BOOST_AUTO_TEST_CASE(Destroying_the_io_context_after_the_stream_with_a_write_in_flight_completes_it_as_canceled)
{
    temp_dir dir;
    const auto bytes = pattern(64u << 20);
    const auto before = open_descriptor_count();
    IAsyncResultPtr ar;
    {
        asio::io_context io;
        FileStream fs(io.get_executor(), dir / "a", FileMode::Create, FileAccess::Write);
        ar = fs.BeginWrite(bytes, 0, static_cast<int>(bytes.size()), {}, {});
        // fs closes first, then io goes; nobody ever runs io.
    }
    BOOST_REQUIRE(ar->AsyncWaitHandle().WaitOne(generous));
    BOOST_TEST(ar->IsCompleted());
    BOOST_TEST(open_descriptor_count() == before);
}

BOOST_AUTO_TEST_CASE(A_stream_that_outlives_its_io_context_completes_its_operations_as_canceled_and_closes)
{
    temp_dir dir;
    const auto bytes = pattern(4u << 20);
    write_file(dir / "r", bytes);
    drop_from_cache(dir / "r");
    const auto before = open_descriptor_count();
    std::vector<std::uint8_t> buf(1 << 20);
    const auto big = pattern(32u << 20);
    std::unique_ptr<FileStream> reader, writer;
    IAsyncResultPtr read, write;
    {
        asio::io_context io;
        reader = std::make_unique<FileStream>(io.get_executor(), dir / "r", FileMode::Open, FileAccess::Read);
        writer = std::make_unique<FileStream>(io.get_executor(), dir / "w", FileMode::Create, FileAccess::Write);
        read = reader->BeginRead(buf, 0, static_cast<int>(buf.size()), {}, {});
        write = writer->BeginWrite(big, 0, static_cast<int>(big.size()), {}, {});
    }
    BOOST_REQUIRE(read->AsyncWaitHandle().WaitOne(generous));
    BOOST_REQUIRE(write->AsyncWaitHandle().WaitOne(generous));
    if (!read->CompletedSynchronously())
        BOOST_CHECK_THROW(reader->EndRead(read), OperationCanceledException);
    BOOST_CHECK_THROW(writer->EndWrite(write), OperationCanceledException);
    reader->Close();
    writer.reset();
    reader.reset();
    BOOST_TEST(open_descriptor_count() == before);
}

BOOST_AUTO_TEST_CASE(A_path_with_a_NUL_character_throws_ArgumentException_and_touches_no_file)
{
    temp_dir dir;
    const auto victim = dir / "victim.bin";
    write_file(victim, pattern(100));
    const std::string path = victim.string() + std::string("\0.tmp", 5);
    for (const FileMode mode : {FileMode::Create, FileMode::Truncate, FileMode::Open, FileMode::CreateNew,
                                FileMode::OpenOrCreate, FileMode::Append}) {
        const FileAccess access = mode == FileMode::Open || mode == FileMode::OpenOrCreate ? FileAccess::Read
                                                                                           : FileAccess::Write;
        BOOST_CHECK_EXCEPTION(FileStream(path, mode, access), ArgumentException,
                              [](const ArgumentException& e) { return e.ParamName() == "path"; });
    }
    BOOST_CHECK_THROW(File::WriteAllBytes(path, std::vector<std::uint8_t>(3)), ArgumentException);
    BOOST_CHECK_THROW(File::WriteAllText(path, "x"), ArgumentException);
    BOOST_CHECK_THROW(File::ReadAllBytes(path), ArgumentException);
    BOOST_CHECK_THROW(File::ReadAllText(path), ArgumentException);
    BOOST_CHECK_THROW(File::OpenRead(path), ArgumentException);
    BOOST_CHECK_THROW(File::OpenWrite(path), ArgumentException);
    BOOST_CHECK_THROW(File::WriteAllBytesAsync(path, std::vector<std::uint8_t>(3), asio::use_future), ArgumentException);
    BOOST_TEST(read_file(victim) == pattern(100), boost::test_tools::per_element());
}

// .NET checks sharing before it truncates (its own test,
// NoTruncateOnFileShareViolation). Mono 6.8 empties the file first; the
// documented .NET behaviour is the one kept here.
BOOST_AUTO_TEST_CASE(An_open_refused_by_a_share_lock_leaves_the_file_as_it_was)
{
    temp_dir dir;
    const auto p = dir / "a";
    write_file(p, pattern(1000));
    FileStream holder(p, FileMode::Open, FileAccess::Read, FileShare::None);
    for (const FileMode mode : {FileMode::Create, FileMode::Truncate}) {
        for (const FileShare share : {FileShare::None, FileShare::Read, FileShare::ReadWrite}) {
            BOOST_CHECK_THROW(FileStream(p, mode, FileAccess::Write, share), IOException);
            BOOST_TEST(std::filesystem::file_size(p) == 1000u);
        }
    }
    BOOST_TEST(read_file(p) == pattern(1000), boost::test_tools::per_element());
    holder.Close();
    // Without the lock, Create and Truncate empty the file as before.
    FileStream(p, FileMode::Truncate, FileAccess::Write).Close();
    BOOST_TEST(std::filesystem::file_size(p) == 0u);
}

BOOST_AUTO_TEST_CASE(An_empty_executor_throws_ArgumentNullException_before_the_file_is_opened)
{
    temp_dir dir;
    const auto before = open_descriptor_count();
    BOOST_CHECK_EXCEPTION(FileStream(asio::any_io_executor(), dir / "a", FileMode::Create), ArgumentNullException,
                          [](const ArgumentNullException& e) { return e.ParamName() == "executor"; });
    BOOST_CHECK_THROW(FileStream(asio::any_io_executor(), dir / "a", FileMode::Create, FileAccess::Write),
                      ArgumentNullException);
    BOOST_TEST(!std::filesystem::exists(dir / "a"));
    BOOST_TEST(open_descriptor_count() == before);
}

BOOST_AUTO_TEST_CASE(An_empty_vector_is_an_empty_array_whatever_its_capacity)
{
    temp_dir dir;
    write_file(dir / "a", pattern(100));
    FileStream fs(dir / "a", FileMode::Open, FileAccess::ReadWrite);
    std::vector<std::uint8_t> empty;
    std::vector<std::uint8_t> reserved;
    reserved.reserve(64);
    for (auto* v : {&empty, &reserved}) {
        BOOST_CHECK_EXCEPTION(fs.Read(*v, 0, 1), ArgumentException, is_bad_range);
        BOOST_CHECK_EXCEPTION(fs.BeginRead(*v, 0, 1, {}, {}), ArgumentException, is_bad_range);
        BOOST_CHECK_EXCEPTION(fs.ReadAsync(*v, 0, 1, asio::use_future), ArgumentException, is_bad_range);
        BOOST_CHECK_EXCEPTION(fs.Write(*v, 0, 1), ArgumentException, is_bad_range);
        BOOST_CHECK_EXCEPTION(fs.WriteAsync(*v, 0, 1, asio::use_future), ArgumentException, is_bad_range);
        BOOST_TEST(fs.Read(*v, 0, 0) == 0);
    }
    // The documented null: a std::span without storage, asked for bytes.
    BOOST_CHECK_THROW(fs.Read(std::span<std::uint8_t>(), 0, 1), ArgumentNullException);
    BOOST_TEST(fs.Position() == 0);
}

BOOST_AUTO_TEST_CASE(BeginRead_racing_Close_on_another_thread_throws_only_ObjectDisposedException)
{
    temp_dir dir;
    write_file(dir / "a", pattern(4096));
    const auto before = open_descriptor_count();
    std::vector<std::uint8_t> buf(16);
    int calls = 0;
    for (int round = 0; round < 500; ++round) {
        FileStream fs(dir / "a", FileMode::Open, FileAccess::Read, FileShare::Read, 0);
        std::atomic<bool> go{false};
        std::thread closer([&] {
            while (!go.load())
                std::this_thread::yield();
            fs.Close();
        });
        // BeginRead again and again until the Close lands: anywhere, also
        // between two of the checks BeginRead makes. Empty reads make no
        // system call, so the checks are most of what the loop does.
        go = true;
        for (;;) {
            ++calls;
            try {
                auto ar = fs.BeginRead(buf, 0, 0, {}, {});
                try {
                    fs.EndRead(ar);
                } catch (const OperationCanceledException&) {
                }
            } catch (const ObjectDisposedException&) {
                break;
            }
        }
        closer.join();
        BOOST_CHECK_THROW(fs.BeginRead(buf, 0, 16, {}, {}), ObjectDisposedException);
        BOOST_CHECK_THROW(fs.ReadAsync(buf, asio::use_future), ObjectDisposedException);
    }
    BOOST_TEST_MESSAGE(calls << " BeginRead calls raced 500 Close calls");
    BOOST_TEST(open_descriptor_count() == before);
}

// The C# twin of bench/tap_bench.cpp.
//   tap_co_await_immediate/mono: an async method awaiting Task.FromResult in
//     a loop; one iteration is one await.
//   tap_co_await_task/mono: the same awaiting a finished Task<int> made
//     first, as the C++ row awaits a finished TaskOf<int>.
//   tap_co_await_finished_task/mono: the same awaiting one Task<int> that
//     finished before the loop.
//   tap_use_future_pinned/mono: Task.Run(f).Result on the thread pool.
using System;
using System.Threading.Tasks;

static class TapPeer
{
    static int Work(int x)
    {
        return x + 1;
    }

    static async Task<int> AwaitFromResult(long n)
    {
        int i = 0;
        for (long k = 0; k < n; ++k)
            i = await Task.FromResult(i + 1);
        return i;
    }

    static async Task<int> AwaitTask(long n)
    {
        int i = 0;
        for (long k = 0; k < n; ++k) {
            Task<int> finished = Task.FromResult(i + 1);
            i = await finished;
        }
        return i;
    }

    static async Task<int> AwaitFinishedTask(long n)
    {
        Task<int> finished = Task.FromResult(1);
        int i = 0;
        for (long k = 0; k < n; ++k)
            i += await finished;
        return i;
    }

    static void Main(string[] args)
    {
        Bench.Init(args);
        Bench.Run("tap_co_await_immediate/mono", n => AwaitFromResult(n).Wait());
        Bench.Run("tap_co_await_task/mono", n => AwaitTask(n).Wait());
        Bench.Run("tap_co_await_finished_task/mono", n => AwaitFinishedTask(n).Wait());
        Bench.Run("tap_use_future_pinned/mono", n => {
            int i = 0;
            for (long k = 0; k < n; ++k) {
                int x = i;
                i = Task.Run(() => Work(x)).Result;
            }
        });
        Bench.Finish();
    }
}

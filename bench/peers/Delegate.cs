// The C# twin of bench/delegate_bench.cpp: BeginInvoke/EndInvoke of a
// delegate on Mono's thread pool.
//   delegate_roundtrip/mono: one call and its wait.
//   delegate_stream/mono: 256 calls begun, then 256 ended.
using System;

static class DelegatePeer
{
    const int Batch = 256;

    static int Work(int x)
    {
        return x + 1;
    }

    static void Main(string[] args)
    {
        Bench.Init(args);
        Func<int, int> d = Work;
        Bench.Run("delegate_roundtrip/mono", n => {
            int i = 0;
            for (long k = 0; k < n; ++k)
                i = d.EndInvoke(d.BeginInvoke(i, null, null));
        });
        var pending = new IAsyncResult[Batch];
        Bench.Run("delegate_stream/mono", n => {
            for (long k = 0; k < n; ++k) {
                for (int i = 0; i < Batch; ++i)
                    pending[i] = d.BeginInvoke(i, null, null);
                for (int i = 0; i < Batch; ++i)
                    d.EndInvoke(pending[i]);
            }
        }, Batch);
        Bench.Finish();
    }
}

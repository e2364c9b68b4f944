// The C# twin of bench/file_read_bench.cpp: FileStream reads of a file in
// the page cache, opened for asynchronous I/O (useAsync: true).
//   seq/BeginRead/mono: 64 KiB reads chained from the callback.
//   seq/ReadAsync/mono: the same with await ReadAsync.
//   rand/BeginRead x32/mono: 4 KiB reads at random offsets, 32 outstanding.
//     A FileStream reads at its one Position, so each of the 32 slots has a
//     FileStream of its own.
// usage: FileRead.exe [--file_mib N] [Bench options]
using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

static class FileReadPeer
{
    const int SeqChunk = 64 << 10;
    const int RandChunk = 4 << 10;
    const int Outstanding = 32;
    const int RandomReads = 32768;

    static string path;
    static long fileSize = 512L << 20;

    static void MakeFile()
    {
        path = Path.Combine(Path.GetTempPath(), "dotasync-peer-" + System.Diagnostics.Process.GetCurrentProcess().Id + ".bin");
        var block = new byte[1 << 20];
        new Random(1).NextBytes(block);
        using (var fs = new FileStream(path, FileMode.Create, FileAccess.Write)) {
            for (long done = 0; done < fileSize; done += block.Length)
                fs.Write(block, 0, block.Length);
        }
        // Read once, so that every measurement starts from the page cache.
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read)) {
            var buf = new byte[SeqChunk];
            while (fs.Read(buf, 0, buf.Length) > 0) {
            }
        }
    }

    static FileStream Open()
    {
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, true);
    }

    static void SeqBeginRead()
    {
        var buf = new byte[SeqChunk];
        using (var fs = Open())
        using (var done = new ManualResetEventSlim()) {
            AsyncCallback onRead = null;
            onRead = ar => {
                if (fs.EndRead(ar) > 0)
                    fs.BeginRead(buf, 0, SeqChunk, onRead, null);
                else
                    done.Set();
            };
            fs.BeginRead(buf, 0, SeqChunk, onRead, null);
            done.Wait();
        }
    }

    static async Task SeqReadAsync()
    {
        var buf = new byte[SeqChunk];
        using (var fs = Open()) {
            while (await fs.ReadAsync(buf, 0, SeqChunk) > 0) {
            }
        }
    }

    static void RandBeginRead(long[] offsets)
    {
        var streams = new FileStream[Outstanding];
        var buffers = new byte[Outstanding][];
        int next = 0;
        int finished = 0;
        using (var done = new ManualResetEventSlim()) {
            AsyncCallback onRead = null;
            onRead = ar => {
                int slot = (int)ar.AsyncState;
                if (streams[slot].EndRead(ar) != RandChunk)
                    throw new IOException("short read");
                int i = Interlocked.Increment(ref next) - 1;
                if (i < offsets.Length) {
                    streams[slot].Position = offsets[i];
                    streams[slot].BeginRead(buffers[slot], 0, RandChunk, onRead, slot);
                } else if (Interlocked.Increment(ref finished) == Outstanding) {
                    done.Set();
                }
            };
            for (int slot = 0; slot < Outstanding; ++slot) {
                streams[slot] = Open();
                buffers[slot] = new byte[RandChunk];
            }
            for (int slot = 0; slot < Outstanding; ++slot) {
                int i = Interlocked.Increment(ref next) - 1;
                streams[slot].Position = offsets[i];
                streams[slot].BeginRead(buffers[slot], 0, RandChunk, onRead, slot);
            }
            done.Wait();
            foreach (var s in streams)
                s.Dispose();
        }
    }

    static void Main(string[] args)
    {
        var rest = Bench.Init(args);
        for (int i = 0; i + 1 < rest.Count; ++i)
            if (rest[i] == "--file_mib")
                fileSize = long.Parse(rest[i + 1]) << 20;
        MakeFile();
        try {
            var rng = new Random(42);
            var offsets = new long[RandomReads];
            for (int i = 0; i < RandomReads; ++i)
                offsets[i] = (long)rng.Next(0, (int)(fileSize / RandChunk)) * RandChunk;
            Bench.Run("seq/BeginRead/mono", n => {
                for (long k = 0; k < n; ++k)
                    SeqBeginRead();
            }, 1, fileSize);
            Bench.Run("seq/ReadAsync/mono", n => {
                for (long k = 0; k < n; ++k)
                    SeqReadAsync().Wait();
            }, 1, fileSize);
            Bench.Run("rand/BeginRead x32/mono", n => {
                for (long k = 0; k < n; ++k)
                    RandBeginRead(offsets);
            }, 1, (long)RandomReads * RandChunk);
        } finally {
            File.Delete(path);
        }
        Bench.Finish();
    }
}

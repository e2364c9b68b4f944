// The measuring loop the C# peers share, and their output: a JSON file shaped
// as Google Benchmark's (one entry per benchmark and run), so that
// tools/bench-table reads the C++ programs and their C# twins alike.
//
// Every figure is wall-clock time: Mono's own threads (the thread pool, the
// finalizer, the garbage collector) do part of the work in every scenario, so
// the CPU time of the measuring thread would leave it out. The entry's
// cpu_time repeats real_time for that reason.
//
// usage: PROGRAM.exe [--min-time SECONDS] [--out FILE] [program options]
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

static class Bench
{
    static double minTime = 0.5;
    static string outPath;
    static readonly List<string> entries = new List<string>();

    // Reads the options every peer takes, and returns the others.
    public static List<string> Init(string[] args)
    {
        var rest = new List<string>();
        for (int i = 0; i < args.Length; ++i) {
            if (args[i] == "--min-time" && i + 1 < args.Length)
                minTime = double.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--out" && i + 1 < args.Length)
                outPath = args[++i];
            else
                rest.Add(args[i]);
        }
        return rest;
    }

    // Runs body(n) (n iterations) with a growing n until one run lasts at
    // least the minimum time, after one warm-up run for the JIT, and records
    // the last run. itemsPerIteration and bytesPerIteration give the rates.
    public static void Run(string name, Action<long> body, long itemsPerIteration = 1, long bytesPerIteration = 0)
    {
        body(1);
        long n = 1;
        while (true) {
            var watch = Stopwatch.StartNew();
            body(n);
            double seconds = watch.Elapsed.TotalSeconds;
            if (seconds >= minTime || n >= (1L << 40)) {
                Record(name, n, seconds, itemsPerIteration, bytesPerIteration);
                return;
            }
            // Aim 40% past the minimum, growing at most tenfold at a time, as
            // Google Benchmark does.
            double factor = seconds <= 0 ? 10 : Math.Min(10, Math.Max(1.4 * minTime / seconds, 1.1));
            n = Math.Max(n + 1, (long)(n * factor));
        }
    }

    static void Record(string name, long n, double seconds, long items, long bytes)
    {
        double ns = seconds * 1e9 / n;
        var e = new StringBuilder();
        e.Append("{\"name\": \"").Append(name).Append("\", \"run_name\": \"").Append(name)
            .Append("\", \"run_type\": \"iteration\", \"iterations\": ").Append(n)
            .Append(", \"real_time\": ").Append(Num(ns)).Append(", \"cpu_time\": ").Append(Num(ns))
            .Append(", \"time_unit\": \"ns\"");
        if (items > 0)
            e.Append(", \"items_per_second\": ").Append(Num(items * n / seconds));
        if (bytes > 0)
            e.Append(", \"bytes_per_second\": ").Append(Num(bytes * n / seconds));
        e.Append('}');
        entries.Add(e.ToString());
        Console.WriteLine("{0,-40} {1,14:F1} ns {2,12} iterations", name, ns, n);
    }

    static string Num(double v)
    {
        return v.ToString("R", CultureInfo.InvariantCulture);
    }

    // Writes the JSON file, when --out names one.
    public static void Finish()
    {
        if (outPath == null)
            return;
        File.WriteAllText(outPath, "{\"context\": {\"executable\": \"mono\"}, \"benchmarks\": [\n  "
                                       + string.Join(",\n  ", entries) + "\n]}\n");
    }
}

// The C# twin of http_bench's GET loop: one HttpClient, one warm-up request,
// then N sequential GetStringAsync calls on a kept-alive connection. Prints
// the seconds the N took, so that process start-up is not counted.
using System;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Threading.Tasks;

class HttpGet
{
    static async Task<double> Run(string url, int count)
    {
        using (var client = new HttpClient())
        {
            await client.GetStringAsync(url);
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
                await client.GetStringAsync(url);
            watch.Stop();
            return watch.Elapsed.TotalSeconds;
        }
    }

    static int Main(string[] args)
    {
        double seconds = Run(args[0], int.Parse(args[1], CultureInfo.InvariantCulture)).GetAwaiter().GetResult();
        Console.WriteLine(seconds.ToString("R", CultureInfo.InvariantCulture));
        return 0;
    }
}

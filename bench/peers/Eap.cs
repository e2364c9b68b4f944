// The C# twin of bench/eap_bench.cpp: an EAP class written the .NET way
// (AsyncOperationManager.CreateOperation, PostOperationCompleted, an event),
// called on a single-thread SynchronizationContext with a message loop, the
// stand-in of a UI thread that dotasync's MessageLoopSynchronizationContext
// is.
//   eap_strand/mono/1: an operation that completes at once; the loop then
//     runs the completion, which raises the event (one subscriber).
//   eap_message_loop/mono: 256 operations started from the loop, each
//     completing on the thread pool; the loop runs until every completion
//     has raised the event.
using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Threading;

// A message loop: Post queues, RunUntilIdle runs what is queued on the
// calling thread until nothing is queued and no operation is outstanding.
sealed class LoopContext : SynchronizationContext
{
    readonly Queue<KeyValuePair<SendOrPostCallback, object>> queue = new Queue<KeyValuePair<SendOrPostCallback, object>>();
    readonly object gate = new object();
    // Guarded by gate: operations start on the loop thread while others
    // complete on pool threads.
    int outstanding;

    public override void Post(SendOrPostCallback d, object state)
    {
        lock (gate) {
            queue.Enqueue(new KeyValuePair<SendOrPostCallback, object>(d, state));
            Monitor.Pulse(gate);
        }
    }

    public override void OperationStarted()
    {
        lock (gate)
            ++outstanding;
    }

    public override void OperationCompleted()
    {
        lock (gate) {
            --outstanding;
            Monitor.Pulse(gate);
        }
    }

    public void RunUntilIdle()
    {
        while (true) {
            KeyValuePair<SendOrPostCallback, object> item;
            lock (gate) {
                while (queue.Count == 0) {
                    if (outstanding == 0)
                        return;
                    Monitor.Wait(gate);
                }
                item = queue.Dequeue();
            }
            item.Key(item.Value);
        }
    }
}

sealed class Pinger
{
    public event AsyncCompletedEventHandler PingCompleted;
    readonly SendOrPostCallback onCompleted;
    readonly WaitCallback onPool;

    public Pinger()
    {
        onCompleted = args => {
            var handler = PingCompleted;
            if (handler != null)
                handler(this, (AsyncCompletedEventArgs)args);
        };
        onPool = o => {
            var op = (AsyncOperation)o;
            op.PostOperationCompleted(onCompleted, new AsyncCompletedEventArgs(null, false, op.UserSuppliedState));
        };
    }

    // Completes at once.
    public void PingAsync(object userState)
    {
        var op = AsyncOperationManager.CreateOperation(userState);
        op.PostOperationCompleted(onCompleted, new AsyncCompletedEventArgs(null, false, userState));
    }

    // Completes on the thread pool.
    public void PingOnPoolAsync(object userState)
    {
        ThreadPool.QueueUserWorkItem(onPool, AsyncOperationManager.CreateOperation(userState));
    }
}

static class EapPeer
{
    const int Batch = 256;

    static void Main(string[] args)
    {
        Bench.Init(args);
        var loop = new LoopContext();
        SynchronizationContext.SetSynchronizationContext(loop);
        var pinger = new Pinger();
        long raised = 0;
        pinger.PingCompleted += (sender, e) => ++raised;
        Bench.Run("eap_strand/mono/1", n => {
            for (long k = 0; k < n; ++k) {
                pinger.PingAsync(null);
                loop.RunUntilIdle();
            }
        });
        var states = new object[Batch];
        for (int i = 0; i < Batch; ++i)
            states[i] = i;
        Bench.Run("eap_message_loop/mono", n => {
            for (long k = 0; k < n; ++k) {
                for (int i = 0; i < Batch; ++i)
                    pinger.PingOnPoolAsync(states[i]);
                loop.RunUntilIdle();
            }
        }, Batch);
        if (raised == 0)
            throw new InvalidOperationException("no event was raised");
        Bench.Finish();
    }
}

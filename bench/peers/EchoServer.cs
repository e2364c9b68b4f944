// The APM echo server of bench/echo_servers.cpp written in C#, to be run on
// Mono: what a user who does not port the server would run on Linux.
// BeginAccept, then per connection BeginReceive -> BeginSend of what was
// received -> BeginReceive. Prints "mono port N"; runs until it is killed.
using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;

class Connection
{
    public Socket Socket;
    public byte[] Buffer = new byte[4096];
}

static class EchoServer
{
    static Socket listener;

    static void Main()
    {
        listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1024);
        Console.WriteLine("mono port " + ((IPEndPoint)listener.LocalEndPoint).Port);
        Console.Out.Flush();
        listener.BeginAccept(AcceptCallback, null);
        Thread.Sleep(Timeout.Infinite);
    }

    static void AcceptCallback(IAsyncResult ar)
    {
        Socket socket;
        try {
            socket = listener.EndAccept(ar);
        } catch (ObjectDisposedException) {
            return;
        }
        listener.BeginAccept(AcceptCallback, null);
        socket.NoDelay = true;
        Receive(new Connection { Socket = socket });
    }

    static void Receive(Connection c)
    {
        c.Socket.BeginReceive(c.Buffer, 0, c.Buffer.Length, SocketFlags.None, ReceiveCallback, c);
    }

    static void ReceiveCallback(IAsyncResult ar)
    {
        var c = (Connection)ar.AsyncState;
        int n;
        try {
            n = c.Socket.EndReceive(ar);
        } catch (SocketException) {
            c.Socket.Close();
            return;
        }
        if (n == 0) {
            c.Socket.Close();
            return;
        }
        c.Socket.BeginSend(c.Buffer, 0, n, SocketFlags.None, SendCallback, c);
    }

    static void SendCallback(IAsyncResult ar)
    {
        var c = (Connection)ar.AsyncState;
        try {
            c.Socket.EndSend(ar);
        } catch (SocketException) {
            c.Socket.Close();
            return;
        }
        Receive(c);
    }
}

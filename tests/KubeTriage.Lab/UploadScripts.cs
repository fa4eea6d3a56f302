namespace KubeTriage.Lab;

/// <summary>
/// An upload over real TCP between two namespaces, as python3 scripts to run with <c>ip netns exec NS python3 -c</c>:
/// a server that takes one connection and reads it to the end, and a client that sends a number of bytes.
/// </summary>
public static class UploadScripts
{
    /// <summary>
    /// Arguments: address, port, seconds to wait before reading, receive buffer (0 keeps the default; set before
    /// listen, so the accepted socket has it). Prints the bytes read.
    /// </summary>
    public const string Server = """
        import socket, sys, time
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if int(sys.argv[4]) > 0:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, int(sys.argv[4]))
        s.bind((sys.argv[1], int(sys.argv[2])))
        s.listen(1)
        s.settimeout(20)
        c, _ = s.accept()
        c.settimeout(20)
        time.sleep(float(sys.argv[3]))
        total = 0
        while True:
            data = c.recv(65536)
            if not data:
                break
            total += len(data)
        c.close()
        print(total)
        """;

    /// <summary>
    /// Arguments: address, port, bytes, and optionally a first piece and a deadline. Connects (retrying for up to 10 s
    /// while the server starts). With a first piece of N bytes (N &gt; 0), sends those alone and waits 300 ms (the
    /// server's acknowledgment comes back) before the rest. Sends the bytes, closes its side and waits for the server's
    /// close. With a deadline of S seconds (S &gt; 0), gives up when the upload has not finished by then: aborts the
    /// connection with a RST and exits 3.
    /// </summary>
    public const string Client = """
        import socket, struct, sys, time
        deadline = time.time() + 10
        while True:
            try:
                c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=20)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        total = int(sys.argv[3])
        first = int(sys.argv[4]) if len(sys.argv) > 4 else 0
        give_up = float(sys.argv[5]) if len(sys.argv) > 5 else 0
        if give_up > 0:
            c.settimeout(give_up)
        try:
            if first > 0:
                c.sendall(b"h" * first)
                time.sleep(0.3)
            c.sendall(b"x" * (total - first))
            c.shutdown(socket.SHUT_WR)
            c.recv(1)
            c.close()
        except socket.timeout:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            c.close()
            sys.exit(3)
        """;
}

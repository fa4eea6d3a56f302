# gRPC-shaped calls (POST, content-type application/grpc, a 5-byte empty message) on one HTTP/2 connection, with
# python3-h2. The calls of a batch are sent at once, under a deadline of DEADLINE seconds: a call still unanswered then
# is cancelled (RST_STREAM CANCEL), as a gRPC client does when its deadline passes. "--then FILE" ends a batch: the
# client writes FILE.waiting, waits (on the same connection) until FILE exists, then makes the next batch, so that a
# capture can join the connection late. Prints each call's grpc-status, "reset" or "cancelled".
# Usage: python3 grpc-client.py ADDRESS AUTHORITY DEADLINE PATH... [--then FILE PATH...]
import os, socket, sys, time
import h2.config, h2.connection, h2.events

host, authority, deadline = sys.argv[1], sys.argv[2], float(sys.argv[3])
batches, waits, rest = [[]], [], sys.argv[4:]
while rest:
    if rest[0] == '--then':
        waits.append(rest[1])
        batches.append([])
        rest = rest[2:]
    else:
        batches[-1].append(rest[0])
        rest = rest[1:]

sock = socket.create_connection((host, 50051), timeout=10)
conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding='utf-8'))
conn.initiate_connection()
sock.sendall(conn.data_to_send())
status = {}

def run(paths):
    streams = []
    for path in paths:
        sid = conn.get_next_available_stream_id()
        streams.append(sid)
        conn.send_headers(sid, [(':method', 'POST'), (':scheme', 'http'), (':authority', authority), (':path', path),
                                ('content-type', 'application/grpc'), ('te', 'trailers')])
        conn.send_data(sid, b'\x00\x00\x00\x00\x00', end_stream=True)
    sock.sendall(conn.data_to_send())
    done = set()
    until = time.monotonic() + deadline
    while len(done) < len(streams):
        sock.settimeout(max(until - time.monotonic(), 0.001))
        try:
            data = sock.recv(65535)
        except socket.timeout:
            for sid in streams:
                if sid not in done:
                    conn.reset_stream(sid, error_code=8)
                    status[sid] = 'cancelled'
                    done.add(sid)
            sock.sendall(conn.data_to_send())
            break
        if not data:
            break
        for event in conn.receive_data(data):
            if isinstance(event, (h2.events.ResponseReceived, h2.events.TrailersReceived)):
                status.update({event.stream_id: v for k, v in event.headers if k == 'grpc-status'})
            elif isinstance(event, h2.events.DataReceived):
                conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            elif isinstance(event, h2.events.StreamReset):
                status[event.stream_id] = 'reset'
                done.add(event.stream_id)
            elif isinstance(event, h2.events.StreamEnded):
                done.add(event.stream_id)
        sock.sendall(conn.data_to_send())
    return streams

all_streams = run(batches[0])
for wait, paths in zip(waits, batches[1:]):
    open(wait + '.waiting', 'w').close()
    for _ in range(300):
        if os.path.exists(wait):
            break
        time.sleep(0.05)
    all_streams += run(paths)
conn.close_connection()
sock.sendall(conn.data_to_send())
sock.close()
print(' '.join(status.get(s, '?') for s in all_streams))

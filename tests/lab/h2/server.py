# An HTTP/2 server in clear text (python3-h2) on ADDRESS:50051, for the HTTP/2 and gRPC lab test and recording.
# gRPC: /shop.Orders/Get OK in trailers, /Pay a trailers-only UNAVAILABLE, /Track UNIMPLEMENTED in trailers,
# /Slow never answered, anything else RST_STREAM REFUSED_STREAM; plain HTTP/2: /health 503, /ok 200.
# Usage: python3 server.py ADDRESS
import socket, sys, threading
import h2.config, h2.connection, h2.events

def respond(conn, sid, headers):
    path = headers.get(':path', '')
    if path == '/health':
        conn.send_headers(sid, [(':status', '503'), ('content-type', 'text/plain')])
        conn.send_data(sid, b'down\n', end_stream=True)
    elif path == '/ok':
        conn.send_headers(sid, [(':status', '200'), ('content-type', 'text/plain')])
        conn.send_data(sid, b'ok\n', end_stream=True)
    elif path == '/shop.Orders/Get':
        conn.send_headers(sid, [(':status', '200'), ('content-type', 'application/grpc')])
        conn.send_data(sid, b'\x00\x00\x00\x00\x02ok')
        conn.send_headers(sid, [('grpc-status', '0')], end_stream=True)
    elif path == '/shop.Orders/Pay':
        conn.send_headers(sid, [(':status', '200'), ('content-type', 'application/grpc'),
                                ('grpc-status', '14'), ('grpc-message', 'no healthy upstream')], end_stream=True)
    elif path == '/shop.Orders/Track':
        conn.send_headers(sid, [(':status', '200'), ('content-type', 'application/grpc')])
        conn.send_headers(sid, [('grpc-status', '12'), ('grpc-message', 'unknown method Track (v2%20only)')], end_stream=True)
    elif path == '/shop.Orders/Slow':
        pass  # never answered: the client's deadline passes first
    else:
        conn.reset_stream(sid, error_code=7)

def serve(sock):
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=False, header_encoding='utf-8'))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    requests = {}
    while True:
        data = sock.recv(65535)
        if not data:
            break
        for event in conn.receive_data(data):
            if isinstance(event, h2.events.RequestReceived):
                requests[event.stream_id] = dict(event.headers)
            elif isinstance(event, h2.events.DataReceived):
                conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            elif isinstance(event, h2.events.StreamEnded):
                respond(conn, event.stream_id, requests.pop(event.stream_id))
            elif isinstance(event, h2.events.StreamReset):
                requests.pop(event.stream_id, None)
        sock.sendall(conn.data_to_send())
    sock.close()

listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind((sys.argv[1], 50051))
listener.listen()
while True:
    accepted, _ = listener.accept()
    threading.Thread(target=serve, args=(accepted,), daemon=True).start()

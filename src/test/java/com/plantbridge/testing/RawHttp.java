package com.plantbridge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.net.ssl.SSLSocketFactory;

/**
 * Requests as bytes on a socket, exactly as written: no client library normalizes, encodes or
 * rejects a spelling before it reaches the node.
 */
public final class RawHttp {

    /** The status line's code (-1 when no HTTP answer came back) and the whole answer as text. */
    public record Answer(int status, String text) {
        public boolean isHttp() {
            return status > 0;
        }
    }

    private final String host;
    private final int port;
    private final SSLSocketFactory tls;

    public RawHttp(String host, int port, SSLSocketFactory tls) {
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    public static RawHttp plain(int port) {
        return new RawHttp("127.0.0.1", port, null);
    }

    /** A request line with the target as given, Host and Connection: close, the headers, and the body with its length. */
    public static byte[] request(String method, String target, Map<String, String> headers, byte[] body) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Host", "127.0.0.1");
        all.put("Connection", "close");
        all.putAll(headers);
        if (body != null) {
            all.put("Content-Length", String.valueOf(body.length));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // ISO-8859-1 keeps every char of a target below 256 as one byte; higher ones go as their UTF-8 bytes.
        writeTarget(out, method + " ");
        writeTarget(out, target);
        writeTarget(out, " HTTP/1.1\r\n");
        all.forEach((k, v) -> writeTarget(out, k + ": " + v + "\r\n"));
        writeTarget(out, "\r\n");
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static void writeTarget(ByteArrayOutputStream out, String text) {
        for (char c : text.toCharArray()) {
            if (c < 256) {
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    public Answer send(String method, String target, Map<String, String> headers, byte[] body) {
        return send(request(method, target, headers, body));
    }

    /** Writes the bytes, reads until the node closes the connection (or 10 s pass), and parses the status line. */
    public Answer send(byte[] request) {
        try (Socket socket = tls == null ? new Socket(host, port) : tls.createSocket(host, port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        }
    }

    /** Writes the head and then chunks of a body until the node answers or {@code total} bytes went out. */
    public Answer sendChunked(String method, String target, Map<String, String> headers, long total) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Transfer-Encoding", "chunked");
        try (Socket socket = tls == null ? new Socket(host, port) : tls.createSocket(host, port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request(method, target, all, null));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            String size = Integer.toHexString(chunk.length) + "\r\n";
            for (long sent = 0; sent < total; sent += chunk.length) {
                try {
                    out.write(size.getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closedByNode) {
                    break;
                }
            }
            try {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException closedByNode) {
                // the node answered and closed
            }
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // what arrived until then is the answer
        }
        return answer.toByteArray();
    }

    private static Answer parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.")) {
            return new Answer(-1, text);
        }
        int space = text.indexOf(' ');
        try {
            return new Answer(Integer.parseInt(text.substring(space + 1, space + 4)), text);
        } catch (RuntimeException e) {
            return new Answer(-1, text);
        }
    }
}

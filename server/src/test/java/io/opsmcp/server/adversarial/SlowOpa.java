package io.opsmcp.server.adversarial;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A hostile OPA on 127.0.0.1: reads each request (headers and a Content-Length body), answers with status
 * and headers at once, then hands the socket's output to a {@link Behaviour} that may trickle, stall or flood.
 * Every connection is closed when the stub closes.
 */
final class SlowOpa implements AutoCloseable {

    /** What to do after the request is read. */
    interface Behaviour {
        void answer(OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread acceptor;

    SlowOpa(Behaviour behaviour) throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        acceptor = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            Socket s = server.accept();
                            synchronized (sockets) {
                                sockets.add(s);
                            }
                            Thread t = new Thread(() -> serve(s, behaviour), "slow-opa-conn");
                            t.setDaemon(true);
                            t.start();
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "slow-opa");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private static void serve(Socket s, Behaviour behaviour) {
        try (s) {
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.append((char) b);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            in.readNBytes(length);
            behaviour.answer(s.getOutputStream());
        } catch (SocketException closed) {
            // the client gave up or the stub closed: expected
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    /** Status line and headers for a 200 JSON answer of {@code length} bytes ({@code -1}: chunked). */
    static byte[] headers(long length) {
        return ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        + (length < 0 ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + length + "\r\n")
                        + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}

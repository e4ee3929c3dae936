package io.crosszone.lab.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A tiny program the network tests run inside a zone's namespace (a JVM of its own):
 * {@code serve IP PORT} echoes every byte back and prints "listening" once bound;
 * {@code connect IP PORT TIMEOUT_MS [SOURCE_IP]} tries once and prints "connected", "timeout", "refused" or
 * "unreachable".
 */
public final class TcpPeer {
    private TcpPeer() {
    }

    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "serve" -> serve(args[1], Integer.parseInt(args[2]));
            case "connect" -> System.out.println(connect(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    args.length > 4 ? args[4] : null));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** One attempt, from {@code source} if given (a zone's namespace holds several pod IPs). */
    static String connect(String ip, int port, int timeoutMillis, String source) {
        try (Socket s = new Socket()) {
            if (source != null) {
                s.bind(new InetSocketAddress(source, 0));
            }
            s.connect(new InetSocketAddress(ip, port), timeoutMillis);
            return "connected";
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (ConnectException e) {
            return "refused";
        } catch (NoRouteToHostException e) {
            return "unreachable";
        } catch (IOException e) {
            return "error " + e;
        }
    }

    private static void serve(String ip, int port) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(ip, port));
            System.out.println("listening");
            System.out.flush();
            while (true) {
                Socket s = server.accept();
                Thread t = new Thread(() -> echo(s));
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int b;
            while ((b = in.read()) >= 0) {
                out.write(b);
                out.flush();
            }
        } catch (IOException ignored) {
            // the peer went away
        }
    }
}

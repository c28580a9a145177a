package io.loyalflow.messaging.provider;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Test helper for connect timeouts. */
final class SaturatedPort {

    private SaturatedPort() {}

    /**
     * A loopback port whose accept queue is full: a further connection attempt gets no answer to its
     * SYN and waits for the connect timeout.
     */
    static ServerSocket saturatedListener(List<Socket> fillers) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (int i = 0; i < 50; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 300);
                fillers.add(socket);
            } catch (SocketTimeoutException e) {
                socket.close();
                return server;
            }
        }
        server.close();
        return Assumptions.abort("this system accepts connections beyond the backlog: no connect timeout to provoke");
    }
}

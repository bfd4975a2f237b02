package org.mptcp4j.compat.isolation;

import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Function;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Library;
import com.kenai.jffi.Type;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import org.mptcp4j.internal.swap.FdSwap;

/**
 * An application that uses jffi itself (another version than the agent's) and has a class named like one
 * of the agent's, then echoes 1 MiB over java.net sockets. Prints which jffi it got, whose FdSwap it
 * sees, its own getpid() through jffi, and OK. Usage: CarriesAgentLibraries HOST.
 */
public final class CarriesAgentLibraries {
    public static void main(String[] args) throws Exception {
        Function getpid = new Function(Library.getDefault().getSymbolAddress("getpid"), Type.SINT, new Type[0], CallingConvention.DEFAULT);
        long pid = Invoker.getInstance().invokeI0(getpid.getCallContext(), getpid.getFunctionAddress());
        String jffi = Library.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        System.out.println("APP jffi=" + jffi.substring(jffi.lastIndexOf('/') + 1) + " fdswap=" + FdSwap.whose()
                + " getpid=" + (pid == ProcessHandle.current().pid()));
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(args[0], 0));
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            echo.start();
            byte[] data = new byte[1 << 20];
            Arrays.fill(data, (byte) 5);
            try (Socket c = new Socket(args[0], server.getLocalPort())) {
                OutputStream out = c.getOutputStream();
                Thread w = new Thread(() -> {
                    try {
                        out.write(data);
                        c.shutdownOutput();
                    } catch (Exception e) {
                        e.printStackTrace();
                    }
                });
                w.start();
                InputStream in = c.getInputStream();
                byte[] back = in.readAllBytes();
                w.join();
                System.out.println(Arrays.equals(data, back) ? "OK " + back.length : "MISMATCH " + back.length);
            }
            echo.join();
        }
    }
}

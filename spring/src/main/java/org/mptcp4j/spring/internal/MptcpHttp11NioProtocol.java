package org.mptcp4j.spring.internal;

import org.apache.coyote.http11.Http11NioProtocol;

/** Tomcat's HTTP/1.1 NIO protocol (TLS and HTTP/2 upgrade included) on an MPTCP listener. Tomcat instantiates it by name. */
public class MptcpHttp11NioProtocol extends Http11NioProtocol {
    public MptcpHttp11NioProtocol() {
        super(new MptcpNioEndpoint());
    }
}

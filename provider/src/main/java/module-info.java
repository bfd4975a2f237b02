/**
 * Multipath TCP for the JVM: the library ({@code org.mptcp4j}: MPTCP channels and sockets, their status
 * and info, the providers the system properties name) and the path manager ({@code org.mptcp4j.pm}).
 * Everything under {@code org.mptcp4j.internal} is not exported. On the module path, open the JDK to
 * this module: {@code --add-opens java.base/sun.nio.ch=org.mptcp4j --add-opens java.base/java.net=org.mptcp4j}.
 */
module org.mptcp4j {
    requires org.jnrproject.jffi;
    requires org.jnrproject.jffi.nativelibs; // jffi's native stub, a resource of this jar
    requires jdk.jfr;
    requires static java.management; // the MBean; a runtime image without it gets one warning line instead
    requires static jdk.httpserver; // the opt-in Prometheus endpoint; without it, one warning line

    exports org.mptcp4j;
    exports org.mptcp4j.pm;
    // for mptcp4j-netty (the library's rules on Netty's native, fd-owning channels) and the Spring Boot
    // starter (the policy keys as Spring properties)
    exports org.mptcp4j.internal.engine to org.mptcp4j.netty;
    exports org.mptcp4j.internal.log to org.mptcp4j.spring;
    exports org.mptcp4j.internal.policy to org.mptcp4j.spring;
}

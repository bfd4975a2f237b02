package org.mptcp4j.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;

/** Entry point of {@code bin/mptcp4j}: one line per error, exit 2 for bad usage, 1 for failures. */
public final class Main {
    private Main() {}

    static final String USAGE = String.join("\n",
            "usage: mptcp4j COMMAND [options]",
            "  demo [--paths N] [--rate MBIT] [-t SEC]   the seed article's multipath demo on network namespaces (root)",
            "  demo failover [--chart F.svg|png] [--eth MBIT] [--wlan MBIT] [-t SEC] [--down SEC] [--up SEC] [--watch]",
            "                [--peer mptcp4j|mptcpize-java|mptcpize-native]",
            "                                           ethernet + wlan, ethernet unplugged and back: intervals, loss check, stall, chart",
            "  perf -s | -c HOST [-t SEC] [-i SEC] [--tcp] bandwidth test, iperf3-style output, MPTCP by default",
            "  cat -l [-k] PORT | cat HOST PORT         ncat-style, MPTCP by default (--tcp for plain TCP)",
            "  proxy gateway|reverse --listen PORT --to HOST:PORT   TCP->MPTCP gateway / MPTCP->TCP reverse proxy",
            "  limits [set subflow N add_addr_accepted N]   the path manager's limits (ip mptcp limits)",
            "  endpoint add ADDR [dev IF] [id N] [port P] [signal|subflow|backup|fullmesh] | delete id N | show | flush",
            "  monitor [-n COUNT]                       MPTCP events as they happen (ip mptcp monitor)",
            "  watch                                    link watcher: endpoints leave with their link and come back with it",
            "  ifstat [-t SEC] [-n COUNT] [--subflows]  bytes/s per interface (pmrep's view); --subflows: per MPTCP subflow",
            "  status [PID]                             MPTCP support, sysctls, limits and endpoints; with PID: the agent's counters there",
            "  run [POLICY] -- java ...                 start a Java command with the agent (POLICY: mode=server,exclude=10.0.0.0/8,...)",
            "  attach PID [POLICY]                      load the agent into a running JVM",
            "  help                                     this text");

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0) {
            err.println(USAGE);
            return 2;
        }
        Args args = new Args(Arrays.copyOfRange(argv, 1, argv.length));
        try {
            switch (argv[0]) {
                case "demo":
                    if ("failover".equals(args.peek())) {
                        args.next();
                        return Failover.run(args, out);
                    }
                    return Demo.run(args, out);
                case "failover-peer": return FailoverPeer.run(args, out);
                case "proxy": return Proxy.run(args, out);
                case "limits": return PmCommands.limits(args, out);
                case "endpoint": return PmCommands.endpoint(args, out);
                case "monitor": return PmCommands.monitor(args, out);
                case "watch": return PmCommands.watch(args, out);
                case "ifstat": return IfStat.run(args, out);
                case "cat": return Cat.run(args, System.in, out, err);
                case "perf": return Perf.run(args, out);
                case "status":
                    return args.hasNext() ? AgentControl.status(AgentControl.pid(args.next()), out) : Status.run(args, out);
                case "attach": return AgentControl.attach(args, out);
                case "check-policy":
                    AgentControl.checkPolicy(args.hasNext() ? args.next() : "");
                    return 0;
                case "help": case "-h": case "--help":
                    out.println(USAGE);
                    return 0;
                default:
                    throw new UsageException("unknown command: " + argv[0] + " (expected demo, perf, status or help)");
            }
        } catch (UsageException e) {
            err.println("mptcp4j: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("mptcp4j: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("mptcp4j: unexpected " + e);
            return 1;
        }
    }
}

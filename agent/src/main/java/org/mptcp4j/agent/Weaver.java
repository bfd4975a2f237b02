package org.mptcp4j.agent;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mptcp4j.agent.HookPoint.Feature;
import org.mptcp4j.agent.HookPoint.Target;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Applies {@link HookPoint#ALL} to one class with ASM: a few instructions per matched method that
 * call {@code org.mptcp4j.agent.boot.MptcpHook}. Nothing is added to the class but code (no
 * fields, methods or signatures), so a loaded class may be retransformed after attach. Frames are
 * only written where a woven branch needs one, in full, matching the method's parameters.
 */
final class Weaver {
    private Weaver() {}

    private static final String HOOK = "org/mptcp4j/agent/boot/MptcpHook";
    private static final String FD = "java/io/FileDescriptor";
    private static final String OBJECT = "java/lang/Object";

    /** The rewritten class (null when nothing matched), which features its hook points give, and how many methods were hooked. */
    record Result(byte[] bytes, Set<Feature> features, int hooked) {}

    static Result weave(String internalName, byte[] bytes, String suffix) {
        Target target = Target.of(internalName);
        if (target == null) {
            return new Result(null, Set.of(), 0);
        }
        String prefix = target.prefix(internalName);
        ClassReader reader = new ClassReader(bytes);
        Set<String> withHandlers = new HashSet<>();
        Set<String> members = new HashSet<>();
        Set<String> framesAfterSocket0 = new HashSet<>();
        Set<String> selfCalls = new HashSet<>();
        scan(reader, withHandlers, members, framesAfterSocket0, selfCalls);
        String nettyFd = prefix + "/channel/unix/FileDescriptor";
        // io_uring's channel reaches its socket through fd(), a JDK channel its listener through its field fd:
        // without it, those hooks are not woven
        boolean hasFd = members.contains("fd()L" + nettyFd + ";") || members.contains("fd:L" + FD + ";");
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        Set<Feature> features = EnumSet.noneOf(Feature.class);
        int[] hooked = {0};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
                for (HookPoint p : HookPoint.ALL) {
                    if (p.target() != target || !p.shape().matches(access, name, desc, suffix)
                            || p.shape().calls() != null && !selfCalls.contains(name + desc + " " + p.shape().calls())) {
                        continue;
                    }
                    MethodVisitor woven = p.weave() == HookPoint.Weave.NET_SOCKET_CREATED
                            ? new NetSocketCreated(mv, Type.getArgumentTypes(desc), name.startsWith("serverSocket"),
                                    !framesAfterSocket0.contains(name + desc), features)
                            : visitor(p, mv, internalName, prefix, name, desc, withHandlers.contains(name + desc), hasFd);
                    if (woven != null) {
                        hooked[0]++;
                        features.add(p.feature());
                        return woven;
                    }
                }
                return mv;
            }
        }, 0);
        return new Result(hooked[0] == 0 ? null : writer.toByteArray(), features, hooked[0]);
    }

    /**
     * Records which methods have exception handlers of their own (wrapping those could shadow them), every
     * method's name+descriptor and every field's name:descriptor ({@code members}), which methods have a
     * stack map frame after their call to {@code Net.socket0} (a frame woven there would change what a
     * following compressed frame means) and which methods of the class each calls ({@code selfCalls}:
     * "name+descriptor name+descriptor").
     */
    private static void scan(ClassReader reader, Set<String> withHandlers, Set<String> members, Set<String> framesAfterSocket0,
                             Set<String> selfCalls) {
        String self = reader.getClassName();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public org.objectweb.asm.FieldVisitor visitField(int access, String name, String desc, String signature, Object value) {
                members.add(name + ":" + desc);
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                members.add(name + desc);
                return new MethodVisitor(Opcodes.ASM9) {
                    private boolean socket0Seen;

                    @Override
                    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                        withHandlers.add(name + desc);
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
                        socket0Seen |= NetSocketCreated.isSocket0(opcode, owner, n, d);
                        if (owner.equals(self)) {
                            selfCalls.add(name + desc + " " + n + d);
                        }
                    }

                    @Override
                    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
                        if (socket0Seen) {
                            framesAfterSocket0.add(name + desc);
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG);
    }

    private static MethodVisitor visitor(HookPoint p, MethodVisitor mv, String owner, String prefix, String name, String desc,
                                         boolean hasHandlers, boolean hasFd) {
        Type[] params = Type.getArgumentTypes(desc);
        String nettyFd = prefix + "/channel/unix/FileDescriptor";
        switch (p.weave()) {
            case NET_CONNECT:
                return new NetConnect(mv, params);
            case NET_CONNECT_POLLED:
            case NETTY_CONNECTED:
            case NETTY_ACCEPTED:
                return new Inserted(mv, p.weave(), owner, prefix, Opcodes.IRETURN);
            case CHANNEL_ACCEPTED:
                return hasFd ? new Inserted(mv, p.weave(), owner, prefix, -1) : null;
            case CLOSING:
            case NETTY_CLOSING:
            case LIBRARY_LOADING:
                return new Inserted(mv, p.weave(), owner, prefix, -1);
            case IMPL_ACCEPTED:
                return new Inserted(mv, p.weave(), owner, prefix, Opcodes.RETURN);
            case NET_OPTION_SET:
            case NET_OPTION_GET:
                return hasHandlers ? null : new NetOption(mv, params, p.weave() == HookPoint.Weave.NET_OPTION_SET);
            case CHANNEL_CONNECT:
            case NETTY_CONNECT:
            case NETTY_EPOLL_ADD:
            case NETTY_EPOLL_MOD:
            case NETTY_EPOLL_DEL:
                return new Inserted(mv, p.weave(), owner, prefix, -1);
            case NETTY_URING_CONNECT:
                return hasFd ? new Inserted(mv, p.weave(), owner, prefix, -1) : null;
            case NETTY_SOCKET_CREATED:
                return new Inserted(mv, p.weave(), owner, prefix, Opcodes.IRETURN);
            case NETTY_URING_MULTISHOT_POLL:
            case NETTY_URING_SOCKET_IS_EMPTY:
                return new Inserted(mv, p.weave(), owner, prefix, Opcodes.IRETURN);
            case NETTY_OPTION_SET:
            case NETTY_OPTION_GET:
                return hasHandlers ? null : new NettyOption(mv, owner, params, Type.getReturnType(desc), p.option(),
                        p.weave() == HookPoint.Weave.NETTY_OPTION_SET);
            default:
                throw new IllegalStateException(p.weave().name());
        }
    }

    /**
     * A call to the hook inserted on entry ({@code beforeReturn} -1) or before each return of the given
     * opcode, without branches (so no frames). Spelled out per kind rather than as lambdas: the first
     * lambda in a JVM costs milliseconds of start-up.
     */
    private static final class Inserted extends MethodVisitor {
        private final HookPoint.Weave kind;
        private final String owner;
        private final String prefix;
        private final String nettyFd;
        private final int beforeReturn;

        Inserted(MethodVisitor mv, HookPoint.Weave kind, String owner, String prefix, int beforeReturn) {
            super(Opcodes.ASM9, mv);
            this.kind = kind;
            this.owner = owner;
            this.prefix = prefix;
            this.nettyFd = prefix + "/channel/unix/FileDescriptor";
            this.beforeReturn = beforeReturn;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (beforeReturn < 0) {
                emit();
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == beforeReturn) {
                emit(kind);
            } else if (kind == HookPoint.Weave.NETTY_CONNECT && opcode == Opcodes.IRETURN) {
                emit(HookPoint.Weave.NETTY_CONNECTED); // connected at once: the connection is complete here too
            }
            super.visitInsn(opcode);
        }

        private void emit() {
            emit(kind);
        }

        private void emit(HookPoint.Weave what) {
            MethodVisitor m = mv;
            switch (what) {
                case NET_CONNECT_POLLED: // (connected?, fd)
                    m.visitInsn(Opcodes.DUP);
                    m.visitVarInsn(Opcodes.ALOAD, 0);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "connectPolled", "(ZL" + FD + ";)V", false);
                    break;
                case CHANNEL_ACCEPTED: // (this channel's fd field, the accepted fd): no reflection to find the listener's
                    m.visitVarInsn(Opcodes.ALOAD, 0);
                    m.visitFieldInsn(Opcodes.GETFIELD, owner, "fd", "L" + FD + ";");
                    m.visitVarInsn(Opcodes.ALOAD, 1);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "accepted", "(L" + FD + ";L" + FD + ";)V", false);
                    break;
                case IMPL_ACCEPTED: // (this impl's fd, the accepted impl's): SocketImpl.fd, protected, read as this class's
                    m.visitVarInsn(Opcodes.ALOAD, 0);
                    m.visitFieldInsn(Opcodes.GETFIELD, owner, "fd", "L" + FD + ";");
                    m.visitVarInsn(Opcodes.ALOAD, 1);
                    m.visitTypeInsn(Opcodes.CHECKCAST, owner); // the JDK's accept casts it too: always this class
                    m.visitFieldInsn(Opcodes.GETFIELD, owner, "fd", "L" + FD + ";");
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "accepted", "(L" + FD + ";L" + FD + ";)V", false);
                    break;
                case NETTY_CONNECTED: // (connected?, the socket's fd)
                    m.visitInsn(Opcodes.DUP);
                    m.visitVarInsn(Opcodes.ALOAD, 0);
                    m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, "intValue", "()I", false);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "nettyConnected", "(ZI)V", false);
                    break;
                case NETTY_ACCEPTED: // (accepted fd or a negative errno, the listener's fd)
                    m.visitInsn(Opcodes.DUP);
                    m.visitVarInsn(Opcodes.ALOAD, 0);
                    m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, "intValue", "()I", false);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "nettyAccepted", "(II)V", false);
                    break;
                case CLOSING: // (the channel or SocketImpl being closed)
                    m.visitVarInsn(Opcodes.ALOAD, 0);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "closing", "(Ljava/lang/Object;)V", false);
                    break;
                case NETTY_CLOSING: // (still open?, the fd): a closed descriptor's number may be another socket's by now
                    m.visitVarInsn(Opcodes.ALOAD, 0);
                    m.visitInsn(Opcodes.DUP);
                    m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, "isOpen", "()Z", false);
                    m.visitInsn(Opcodes.SWAP);
                    m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, "intValue", "()I", false);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "nettyClosing", "(ZI)V", false);
                    break;
                case LIBRARY_LOADING: // (the library's name or path)
                    m.visitVarInsn(Opcodes.ALOAD, 2);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "libraryLoading", "(Ljava/lang/String;)V", false);
                    break;
                case CHANNEL_CONNECT: // (this, remote)
                    m.visitVarInsn(Opcodes.ALOAD, 0);
                    m.visitVarInsn(Opcodes.ALOAD, 1);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "channelConnecting", "(Ljava/lang/Object;Ljava/lang/Object;)V", false);
                    break;
                case NETTY_SOCKET_CREATED: // the returned fd, and which Netty copy
                    m.visitInsn(Opcodes.DUP);
                    m.visitLdcInsn(prefix.replace('/', '.'));
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "nettySocketCreated", "(ILjava/lang/String;)V", false);
                    break;
                case NETTY_CONNECT: // (socket, its fd, remote)
                    m.visitVarInsn(Opcodes.ALOAD, 0);
                    m.visitVarInsn(Opcodes.ALOAD, 0);
                    m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, "intValue", "()I", false);
                    m.visitVarInsn(Opcodes.ALOAD, 1);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "nettyBeforeConnect", "(Ljava/lang/Object;ILjava/lang/Object;)V", false);
                    break;
                case NETTY_EPOLL_ADD:
                case NETTY_EPOLL_MOD:
                case NETTY_EPOLL_DEL: // (op, epfd, fd, events): EPOLL_CTL_ADD 1, DEL 2, MOD 3
                    m.visitLdcInsn(kind == HookPoint.Weave.NETTY_EPOLL_ADD ? 1 : kind == HookPoint.Weave.NETTY_EPOLL_DEL ? 2 : 3);
                    m.visitVarInsn(Opcodes.ILOAD, 0);
                    m.visitVarInsn(Opcodes.ILOAD, 1);
                    if (kind == HookPoint.Weave.NETTY_EPOLL_DEL) {
                        m.visitInsn(Opcodes.ICONST_0);
                    } else {
                        m.visitVarInsn(Opcodes.ILOAD, 2);
                    }
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "nettyEpollCtl", "(IIII)V", false);
                    break;
                case NETTY_URING_CONNECT: // (this.fd(), its int, remote)
                    m.visitVarInsn(Opcodes.ALOAD, 0);
                    m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, "fd", "()L" + nettyFd + ";", false);
                    m.visitInsn(Opcodes.DUP);
                    m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, nettyFd, "intValue", "()I", false);
                    m.visitVarInsn(Opcodes.ALOAD, 1);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "nettyBeforeConnect", "(Ljava/lang/Object;ILjava/lang/Object;)V", false);
                    break;
                case NETTY_URING_MULTISHOT_POLL: // (what Netty chose, the channel) -> the answer
                    m.visitVarInsn(Opcodes.ALOAD, 0);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "nettyMultishotPoll", "(ZLjava/lang/Object;)Z", false);
                    break;
                case NETTY_URING_SOCKET_IS_EMPTY: // (what Netty concluded, the channel) -> the answer; fd() is the superclass's
                    m.visitVarInsn(Opcodes.ALOAD, 0);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "nettySocketIsEmpty", "(ZLjava/lang/Object;)Z", false);
                    break;
                default:
                    throw new IllegalStateException(what.name());
            }
        }
    }

    /** The frame locals of a method's entry: {@code this} (instance methods) and the parameters. */
    private static Object[] entryLocals(String owner, Type[] params) {
        List<Object> locals = new ArrayList<>();
        if (owner != null) {
            locals.add(owner);
        }
        for (Type t : params) {
            switch (t.getSort()) {
                case Type.BOOLEAN: case Type.BYTE: case Type.CHAR: case Type.SHORT: case Type.INT:
                    locals.add(Opcodes.INTEGER);
                    break;
                case Type.LONG:
                    locals.add(Opcodes.LONG);
                    break;
                case Type.DOUBLE:
                    locals.add(Opcodes.DOUBLE);
                    break;
                case Type.FLOAT:
                    locals.add(Opcodes.FLOAT);
                    break;
                default:
                    locals.add(t.getInternalName());
            }
        }
        return locals.toArray();
    }

    /** Local-variable slot of the first parameter of the given internal type name (static method), or -1. */
    private static int slotOf(Type[] params, String internalName) {
        int slot = 0;
        for (Type t : params) {
            if (t.getSort() == Type.OBJECT && t.getInternalName().equals(internalName)) {
                return slot;
            }
            slot += t.getSize();
        }
        return -1;
    }

    /**
     * {@code Net.setSocketOption*} / {@code getSocketOption*}: a read first returns a value recorded for
     * a refused set; the whole body sits in a try/catch whose handler asks the hook whether the failure
     * is an MPTCP-only refusal with a documented answer (set: swallow; get: the answer); otherwise the
     * exception is rethrown unchanged.
     */
    private static final class NetOption extends MethodVisitor {
        /** IOException, and the UnsupportedOperationException jdk.net throws for a refused extended option. */
        private static final String CAUGHT = "java/lang/Exception";
        private final boolean set;
        private final Object[] frameLocals;
        private final int fdSlot;
        private final int optionSlot;
        private final int valueSlot;
        private final Label start = new Label();
        private final Label end = new Label();
        private final Label handler = new Label();

        NetOption(MethodVisitor mv, Type[] params, boolean set) {
            super(Opcodes.ASM9, mv);
            this.set = set;
            this.fdSlot = slotOf(params, FD);
            this.optionSlot = slotOf(params, "java/net/SocketOption");
            this.valueSlot = set ? slotOf(params, OBJECT) : -1;
            this.frameLocals = entryLocals(null, params);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (set) {
                super.visitVarInsn(Opcodes.ALOAD, fdSlot);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "optionSetting", "(L" + FD + ";)V", false);
            } else {
                Label kernel = new Label();
                super.visitVarInsn(Opcodes.ALOAD, fdSlot);
                super.visitVarInsn(Opcodes.ALOAD, optionSlot);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "optionRecorded", "(L" + FD + ";Ljava/lang/Object;)Ljava/lang/Object;", false);
                super.visitInsn(Opcodes.DUP);
                super.visitJumpInsn(Opcodes.IFNULL, kernel);
                super.visitInsn(Opcodes.ARETURN);
                super.visitLabel(kernel);
                super.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 1, new Object[] {OBJECT});
                super.visitInsn(Opcodes.POP);
            }
            super.visitTryCatchBlock(start, end, handler, CAUGHT);
            super.visitLabel(start);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitLabel(end);
            super.visitLabel(handler);
            super.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 1, new Object[] {CAUGHT});
            Label rethrow = new Label();
            super.visitInsn(Opcodes.DUP);
            super.visitVarInsn(Opcodes.ALOAD, fdSlot);
            super.visitVarInsn(Opcodes.ALOAD, optionSlot);
            if (set) {
                super.visitVarInsn(Opcodes.ALOAD, valueSlot);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "optionSetFailed",
                        "(Ljava/lang/Throwable;L" + FD + ";Ljava/lang/Object;Ljava/lang/Object;)Z", false);
                super.visitJumpInsn(Opcodes.IFEQ, rethrow);
                super.visitInsn(Opcodes.POP);
                super.visitInsn(Opcodes.RETURN);
                super.visitLabel(rethrow);
                super.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 1, new Object[] {CAUGHT});
            } else {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "optionGetFailed",
                        "(Ljava/lang/Throwable;L" + FD + ";Ljava/lang/Object;)Ljava/lang/Object;", false);
                super.visitInsn(Opcodes.DUP);
                super.visitJumpInsn(Opcodes.IFNULL, rethrow);
                super.visitInsn(Opcodes.SWAP);
                super.visitInsn(Opcodes.POP);
                super.visitInsn(Opcodes.ARETURN);
                super.visitLabel(rethrow);
                super.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 2, new Object[] {CAUGHT, OBJECT});
                super.visitInsn(Opcodes.POP);
            }
            super.visitInsn(Opcodes.ATHROW);
            super.visitMaxs(maxStack, maxLocals);
        }
    }

    /**
     * One of Netty's option methods ({@code setTcpQuickAck(boolean)}, {@code getTrafficClass()}, ...): the
     * same shape as {@link NetOption} for an instance method whose value is a boolean or an int, keyed by
     * the option's rule name and the Netty socket ({@code this}).
     */
    private static final class NettyOption extends MethodVisitor {
        /** Netty's native setters throw its (unchecked) ChannelException, its getters IOException. */
        private static final String CAUGHT = "java/lang/Exception";
        private final String owner;
        private final boolean set;
        private final String option;
        private final Type value; // the setter's parameter or the getter's return type: boolean or int
        private final Object[] frameLocals;
        private final Label start = new Label();
        private final Label end = new Label();
        private final Label handler = new Label();

        NettyOption(MethodVisitor mv, String owner, Type[] params, Type returns, String option, boolean set) {
            super(Opcodes.ASM9, mv);
            this.owner = owner;
            this.set = set;
            this.option = option;
            this.value = set ? params[0] : returns;
            this.frameLocals = entryLocals(owner, params);
        }

        private void pushSocketFdAndName() {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, "intValue", "()I", false);
            super.visitLdcInsn(option);
        }

        private void unboxAndReturn() {
            boolean bool = value.getSort() == Type.BOOLEAN;
            String box = bool ? "java/lang/Boolean" : "java/lang/Integer";
            super.visitTypeInsn(Opcodes.CHECKCAST, box);
            super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, box, bool ? "booleanValue" : "intValue", bool ? "()Z" : "()I", false);
            super.visitInsn(Opcodes.IRETURN);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (!set) {
                Label kernel = new Label();
                super.visitInsn(Opcodes.ACONST_NULL);
                pushSocketFdAndName();
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "nettyOptionGetFailed",
                        "(Ljava/lang/Throwable;Ljava/lang/Object;ILjava/lang/String;)Ljava/lang/Object;", false);
                super.visitInsn(Opcodes.DUP);
                super.visitJumpInsn(Opcodes.IFNULL, kernel);
                unboxAndReturn();
                super.visitLabel(kernel);
                super.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 1, new Object[] {OBJECT});
                super.visitInsn(Opcodes.POP);
            }
            super.visitTryCatchBlock(start, end, handler, CAUGHT);
            super.visitLabel(start);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitLabel(end);
            super.visitLabel(handler);
            super.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 1, new Object[] {CAUGHT});
            Label rethrow = new Label();
            super.visitInsn(Opcodes.DUP);
            pushSocketFdAndName();
            if (set) {
                super.visitVarInsn(Opcodes.ILOAD, 1);
                boolean bool = value.getSort() == Type.BOOLEAN;
                super.visitMethodInsn(Opcodes.INVOKESTATIC, bool ? "java/lang/Boolean" : "java/lang/Integer", "valueOf",
                        bool ? "(Z)Ljava/lang/Boolean;" : "(I)Ljava/lang/Integer;", false);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "nettyOptionSetFailed",
                        "(Ljava/lang/Throwable;Ljava/lang/Object;ILjava/lang/String;Ljava/lang/Object;)Z", false);
                super.visitJumpInsn(Opcodes.IFEQ, rethrow);
                super.visitInsn(Opcodes.POP);
                super.visitInsn(Opcodes.RETURN);
                super.visitLabel(rethrow);
                super.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 1, new Object[] {CAUGHT});
            } else {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "nettyOptionGetFailed",
                        "(Ljava/lang/Throwable;Ljava/lang/Object;ILjava/lang/String;)Ljava/lang/Object;", false);
                super.visitInsn(Opcodes.DUP);
                super.visitJumpInsn(Opcodes.IFNULL, rethrow);
                super.visitInsn(Opcodes.SWAP);
                super.visitInsn(Opcodes.POP);
                unboxAndReturn();
                super.visitLabel(rethrow);
                super.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 2, new Object[] {CAUGHT, OBJECT});
                super.visitInsn(Opcodes.POP);
            }
            super.visitInsn(Opcodes.ATHROW);
            super.visitMaxs(maxStack, maxLocals);
        }
    }

    /** Before each ARETURN: dup the FileDescriptor, push stream and server flags, call the hook. */
    private static final class NetSocketCreated extends MethodVisitor {
        private final int streamSlot; // -1: no boolean parameter, stream-only method (JDK 25's socket())
        private final boolean server;
        private final boolean inPlace;
        private final Object[] frameLocals;
        private final Set<Feature> features;

        NetSocketCreated(MethodVisitor mv, Type[] params, boolean server, boolean inPlace, Set<Feature> features) {
            super(Opcodes.ASM9, mv);
            int slot = 0;
            int last = -1;
            for (Type t : params) {
                if (t.getSort() == Type.BOOLEAN) {
                    last = slot;
                }
                slot += t.getSize();
            }
            this.streamSlot = last;
            this.server = server;
            this.inPlace = inPlace;
            this.frameLocals = entryLocals(null, params);
            this.features = features;
        }

        static boolean isSocket0(int opcode, String owner, String name, String desc) {
            return opcode == Opcodes.INVOKESTATIC && owner.equals("sun/nio/ch/Net") && (name + desc).equals(HookPoint.SOCKET0);
        }

        /**
         * {@code socket0(preferIPv6, stream, reuse, fastLoopback)} becomes {@code MptcpHook.socket0(..., server)}:
         * an MPTCP socket's fd, or the four flags packed and inverted (negative), which are unpacked for the
         * JDK's own call. Where the method has a frame after the call, the call is left as it is.
         */
        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
            if (!inPlace || !isSocket0(opcode, owner, name, desc)) {
                super.visitMethodInsn(opcode, owner, name, desc, itf);
                return;
            }
            Label done = new Label();
            super.visitInsn(server ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "socket0", "(ZZZZZ)I", false);
            super.visitInsn(Opcodes.DUP);
            super.visitJumpInsn(Opcodes.IFGE, done);
            super.visitInsn(Opcodes.ICONST_M1);
            super.visitInsn(Opcodes.IXOR);
            for (int bit = 0; bit < 3; bit++) { // [flags] -> [b0 b1 b2 flags]
                super.visitInsn(Opcodes.DUP);
                if (bit > 0) {
                    super.visitInsn(Opcodes.ICONST_0 + bit);
                    super.visitInsn(Opcodes.ISHR);
                }
                super.visitInsn(Opcodes.ICONST_1);
                super.visitInsn(Opcodes.IAND);
                super.visitInsn(Opcodes.SWAP);
            }
            super.visitInsn(Opcodes.ICONST_3);
            super.visitInsn(Opcodes.ISHR);
            super.visitInsn(Opcodes.ICONST_1);
            super.visitInsn(Opcodes.IAND);
            super.visitMethodInsn(opcode, owner, name, desc, itf);
            super.visitLabel(done);
            // the parameters only: the method's own locals are not read after the call
            super.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 1, new Object[] {Opcodes.INTEGER});
            features.add(Feature.CREATE_IN_PLACE);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.ARETURN) {
                super.visitInsn(Opcodes.DUP);
                if (streamSlot >= 0) {
                    super.visitVarInsn(Opcodes.ILOAD, streamSlot);
                } else {
                    super.visitInsn(Opcodes.ICONST_1);
                }
                super.visitInsn(server ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "socketCreated", "(L" + FD + ";ZZ)V", false);
            }
            super.visitInsn(opcode);
        }
    }

    /**
     * On entry: the FileDescriptor, the address (InetAddress or SocketAddress) and the port (or -1); on exit
     * (result, FileDescriptor): 1 means connected at once.
     */
    private static final class NetConnect extends MethodVisitor {
        private final int fdSlot;
        private final int addressSlot;
        private final int portSlot;

        NetConnect(MethodVisitor mv, Type[] params) {
            super(Opcodes.ASM9, mv);
            int slot = 0;
            int fd = -1;
            int address = -1;
            int port = -1;
            for (Type t : params) {
                if (t.getSort() == Type.OBJECT) {
                    String n = t.getInternalName();
                    if (n.equals(FD)) {
                        fd = slot;
                    } else if (n.equals("java/net/InetAddress") || n.equals("java/net/SocketAddress")) {
                        address = slot;
                    }
                } else if (t.getSort() == Type.INT && address >= 0 && port < 0) {
                    port = slot;
                }
                slot += t.getSize();
            }
            this.fdSlot = fd;
            this.addressSlot = address;
            this.portSlot = port;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (addressSlot < 0) {
                return;
            }
            super.visitVarInsn(Opcodes.ALOAD, fdSlot);
            super.visitVarInsn(Opcodes.ALOAD, addressSlot);
            if (portSlot >= 0) {
                super.visitVarInsn(Opcodes.ILOAD, portSlot);
            } else {
                super.visitInsn(Opcodes.ICONST_M1);
            }
            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "connecting", "(L" + FD + ";Ljava/lang/Object;I)V", false);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.IRETURN && fdSlot >= 0) {
                super.visitInsn(Opcodes.DUP);
                super.visitVarInsn(Opcodes.ALOAD, fdSlot);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "connectReturned", "(IL" + FD + ";)V", false);
            }
            super.visitInsn(opcode);
        }
    }
}

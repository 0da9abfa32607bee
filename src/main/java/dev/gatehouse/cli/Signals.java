package dev.gatehouse.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * POSIX signal handlers ({@code SIGHUP} reloads). The JDK has no public API for signals; {@code
 * sun.misc.Signal} in the {@code jdk.unsupported} module is the supported-in-practice one. It is reached
 * by reflection because javac's "internal proprietary API" warning cannot be suppressed and the build
 * treats warnings as errors.
 */
final class Signals {
  private static final Logger LOG = Logger.getLogger(Signals.class.getName());

  private Signals() {}

  /** Runs {@code action} on the JVM's signal thread each time {@code name} (e.g. "HUP") arrives. */
  static boolean handle(String name, Runnable action) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object signal = signalClass.getConstructor(String.class).newInstance(name);
      InvocationHandler invocation =
          (proxy, method, args) -> {
            switch (method.getName()) {
              case "handle":
                action.run();
                return null;
              case "hashCode":
                return System.identityHashCode(proxy);
              case "equals":
                return proxy == args[0];
              default:
                return "SIG" + name + " handler";
            }
          };
      Object handler =
          Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, invocation);
      signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot handle SIG" + name + ": " + e);
      return false;
    }
  }

  /** Sends {@code name} to this process, as {@code kill -NAME} from outside would; false if it cannot. */
  static boolean raise(String name) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Object signal = signalClass.getConstructor(String.class).newInstance(name);
      signalClass.getMethod("raise", signalClass).invoke(null, signal);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot raise SIG" + name + ": " + e);
      return false;
    }
  }
}

package dev.gatehouse.certs;

import dev.gatehouse.localca.LocalCaIssuer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real local CA that counts its orders, remembers their threads, fails the ones a test queues up and holds
 * the ones a test wants hung.
 */
final class CountingIssuer implements Issuer {
  private final LocalCaIssuer ca;
  private final String name;
  final AtomicInteger attempts = new AtomicInteger();
  final AtomicInteger issued = new AtomicInteger();
  final List<String> threads = new CopyOnWriteArrayList<>();
  /** Orders that were interrupted while held (given up on by the manager, or shut down). */
  final AtomicInteger interrupted = new AtomicInteger();
  private final Deque<IssuanceException> failures = new ArrayDeque<>();
  private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();

  CountingIssuer(LocalCaIssuer ca, String name) {
    this.ca = ca;
    this.name = name;
  }

  CountingIssuer(LocalCaIssuer ca) {
    this(ca, ca.name());
  }

  synchronized void failNext(IssuanceException failure) {
    failures.add(failure);
  }

  /** Orders whose first name is {@code name} hang, as on a CA that stopped answering, until {@code release}. */
  void hold(String name, CountDownLatch release) {
    held.put(name, release);
  }

  @Override
  public CertifiedKey issue(IssueRequest request) throws IssuanceException {
    attempts.incrementAndGet();
    threads.add(Thread.currentThread().getName());
    CountDownLatch release = held.get(request.names().get(0));
    if (release != null) {
      try {
        release.await();
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
        Thread.currentThread().interrupt();
        throw new IssuanceException("interrupted");
      }
    }
    IssuanceException failure;
    synchronized (this) {
      failure = failures.poll();
    }
    if (failure != null) {
      throw failure;
    }
    CertifiedKey key = ca.issue(request);
    issued.incrementAndGet();
    return key;
  }

  @Override
  public String name() {
    return name;
  }
}

package dev.gatehouse.certs;

import dev.gatehouse.localca.LocalCaIssuer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real local CA that counts its orders, remembers their threads, and fails the ones a test queues up. */
final class CountingIssuer implements Issuer {
  private final LocalCaIssuer ca;
  private final String name;
  final AtomicInteger attempts = new AtomicInteger();
  final AtomicInteger issued = new AtomicInteger();
  final List<String> threads = new CopyOnWriteArrayList<>();
  private final Deque<IssuanceException> failures = new ArrayDeque<>();

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

  @Override
  public CertifiedKey issue(IssueRequest request) throws IssuanceException {
    attempts.incrementAndGet();
    threads.add(Thread.currentThread().getName());
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

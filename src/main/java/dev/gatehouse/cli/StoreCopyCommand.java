package dev.gatehouse.cli;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.StoreSettings;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.PostgresLocation;
import dev.gatehouse.store.PostgresStorage;
import dev.gatehouse.store.StoreCopy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse store copy --from DIR --to postgresql://...} and back: moving in to a shared store from one
 * server's state dir or certbot's {@code /etc/letsencrypt}, or out again.
 */
@Command(
    name = "copy",
    mixinStandardHelpOptions = true,
    description = {
      "Copy certificates, keys, ACME accounts and state from a directory (a state dir, or certbot's"
          + " /etc/letsencrypt) into a PostgreSQL store, or from the store into a directory.",
      "Private keys are encrypted in the store with --store-key-file and written 0600 to a directory."
    })
final class StoreCopyCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "DIR|URL", description = "Where to copy from.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "DIR|URL", description = "Where to copy to.")
  String to;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "This server's state dir: the default --store-key-file is in it (default: ${DEFAULT-VALUE}).")
  Path stateDir = ServeConfig.defaultStateDir();

  @Mixin StoreKeyOptions key = new StoreKeyOptions();

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    CertsConsole console = new CertsConsole(cl);
    boolean intoStore = PostgresLocation.isPostgres(to);
    if (intoStore == PostgresLocation.isPostgres(from)) {
      throw new CommandLine.ParameterException(cl, "--from '" + from + "' and --to '" + to + "': one of them must"
          + " be a directory and the other a postgresql:// store");
    }
    if (intoStore && !Files.isDirectory(Path.of(from))) {
      throw new CommandLine.ParameterException(cl, "--from: '" + from + "' is not a directory (expected: a state dir"
          + " or certbot's /etc/letsencrypt)");
    }
    String url = intoStore ? to : from;
    StoreSettings settings = key.settings(Optional.of(url));
    PostgresStorage store;
    FileStorage directory;
    try {
      // The flag the user typed the URL into is the one to name in errors, not --store.
      store = (PostgresStorage) StorageOpener.open(settings, stateDir);
      directory = intoStore ? null : StorageOpener.stateDir(Path.of(to));
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage().replaceFirst("^--store:", intoStore ? "--to:"
          : "--from:"));
    }
    try {
      int copied = intoStore
          ? StoreCopy.fromDirectory(Path.of(from), store, key -> console.result("copied " + key))
          : StoreCopy.toDirectory(store, directory, key -> console.result("copied " + key));
      console.result(copied + " keys copied from " + from + " to " + (intoStore ? store : directory.root()));
      return 0;
    } catch (IOException e) {
      console.error((intoStore ? "--from " + from : "--to " + to) + ": " + e.getMessage());
      return 1;
    } finally {
      store.close();
    }
  }
}

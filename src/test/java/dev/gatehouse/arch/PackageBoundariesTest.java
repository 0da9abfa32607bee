package dev.gatehouse.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package boundaries of DESIGN.md ("May depend on"), enforced on the production classes. */
class PackageBoundariesTest {

  private static final String ROOT = "dev.gatehouse";

  /** Each package and the internal packages it may use; a package absent here may use nothing internal. */
  private static final Map<String, List<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("config", List.of()),
          Map.entry("store", List.of()),
          Map.entry("certs", List.of("config", "store")),
          Map.entry("acme", List.of("certs", "config", "store")),
          Map.entry("localca", List.of("certs", "config", "store")),
          Map.entry("tls", List.of("certs", "config")),
          Map.entry("proxy", List.of("tls", "certs", "config")),
          Map.entry("admin", List.of("certs", "tls", "proxy", "config")),
          Map.entry("audit", List.of("config")),
          Map.entry("generate", List.of("config")),
          Map.entry("nginx", List.of("generate", "certs", "audit", "config")));

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  @Test
  void eachPackageUsesOnlyWhatDesignAllows() {
    for (var entry : ALLOWED.entrySet()) {
      String pkg = entry.getKey();
      String[] forbidden =
          Stream.concat(ALLOWED.keySet().stream(), Stream.of("cli"))
              .filter(p -> !p.equals(pkg) && !entry.getValue().contains(p))
              .map(p -> ROOT + "." + p + "..")
              .toArray(String[]::new);
      noClasses()
          .that()
          .resideInAPackage(ROOT + "." + pkg + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(forbidden)
          .allowEmptyShould(true)
          .because("DESIGN.md: " + pkg + " may depend on " + entry.getValue())
          .check(classes);
    }
  }

  @Test
  void onlyAcmeImportsAcme4j() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".acme..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.shredzone.acme4j..")
        .check(classes);
  }

  @Test
  void onlyTlsAndProxyImportNetty() {
    noClasses()
        .that()
        .resideOutsideOfPackages(ROOT + ".tls..", ROOT + ".proxy..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.netty..")
        .check(classes);
  }

  @Test
  void onlyAdminImportsThePrometheusClient() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".admin..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.prometheus..")
        .check(classes);
  }

  @Test
  void onlyCliImportsPicocli() {
    noClasses()
        .that()
        .resideOutsideOfPackages(ROOT + ".cli..")
        .and()
        .doNotHaveFullyQualifiedName(ROOT + ".Main")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("picocli..")
        .check(classes);
  }

  @Test
  void nothingDependsOnCli() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".cli..")
        .and()
        .doNotHaveFullyQualifiedName(ROOT + ".Main")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT + ".cli..")
        .check(classes);
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void everyPackageIsKnown() {
    var unknown =
        classes.stream()
            .map(c -> c.getPackageName())
            .filter(p -> p.startsWith(ROOT + "."))
            .map(p -> p.substring(ROOT.length() + 1).split("\\.")[0])
            .filter(p -> !ALLOWED.containsKey(p) && !p.equals("cli"))
            .collect(Collectors.toSet());
    org.assertj.core.api.Assertions.assertThat(unknown)
        .as("packages not in DESIGN.md's layout (add them to ALLOWED)")
        .isEmpty();
  }
}

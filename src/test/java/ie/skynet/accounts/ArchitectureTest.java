package ie.skynet.accounts;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import ie.skynet.accounts.http.RequestAttributes;
import io.javalin.http.Context;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md, each depending only on those below it: the composition root
 * ({@code app}) → fronts (cli, web, api, dev, ops) → features (signup, account), which do not
 * depend on each other → the core shared below them (membership, links, asks, policy, http,
 * templates) → infrastructure (directory, outbox, db). No cycles between any two packages. {@code
 * http} is what the web server tells the features' routes about a request, so they need not see the
 * server. The templates jte compiles ({@code templates.pages}, {@code .mailtext}, {@code
 * .mailhtml}) render the features' page and mail records, so they sit above the features, in no
 * layer but the cycle rule.
 */
class ArchitectureTest {
  private static final String ROOT = "ie.skynet.accounts";
  private static final String[] FRONTS = {
    ROOT + ".cli..",
    ROOT + ".web..",
    ROOT + ".api..",
    ROOT + ".dev..",
    ROOT + ".ops..",
    ROOT + ".admin.."
  };
  private static final String[] FEATURES = {
    ROOT + ".signup..", ROOT + ".account..", ROOT + ".lifecycle..", ROOT + ".event.."
  };

  /** Shared below the features: the members and their accounts, links, asks, rules, views. */
  private static final String[] CORE = {
    ROOT + ".membership..",
    ROOT + ".links..",
    ROOT + ".asks..",
    ROOT + ".policy..",
    ROOT + ".http..",
    ROOT + ".templates"
  };

  private static final String[] INFRASTRUCTURE = {
    ROOT + ".directory..", ROOT + ".outbox..", ROOT + ".db.."
  };

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(ROOT);

  @Test
  void nothingButMainDependsOnTheCompositionRoot() {
    noClasses()
        .that()
        .resideOutsideOfPackages(ROOT + ".app..")
        .and()
        .doNotHaveFullyQualifiedName(ROOT + ".Main")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT + ".app..")
        .check(classes);
  }

  @Test
  void featuresDoNotDependOnTheirFronts() {
    noClasses()
        .that()
        .resideInAnyPackage(FEATURES)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FRONTS)
        .check(classes);
  }

  @Test
  void infrastructureDependsOnNothingAboveIt() {
    noClasses()
        .that()
        .resideInAnyPackage(INFRASTRUCTURE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(CORE)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(FEATURES)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(FRONTS)
        .check(classes);
  }

  @Test
  void theDatabaseDriverStaysBehindTheDbPackageForConnectionsAndMigrations() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".db..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.flywaydb..", "org.sqlite..")
        .check(classes);
  }

  @Test
  void membersFeaturesSpeakToTheDirectoryOnlyThroughItsOwnTypes() {
    // Doctor and preflight (ops) probe the server itself and read its result codes by design.
    noClasses()
        .that()
        .resideInAnyPackage(FEATURES)
        .or()
        .resideInAnyPackage(CORE)
        .or()
        .resideInAnyPackage(ROOT + ".api..", ROOT + ".web..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.unboundid..")
        .check(classes);
  }

  @Test
  void theCoreDependsOnNoFeatureOrFront() {
    noClasses()
        .that()
        .resideInAnyPackage(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FEATURES)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(FRONTS)
        .check(classes);
  }

  @Test
  void featuresDoNotDependOnEachOther() {
    for (String feature : FEATURES) {
      noClasses()
          .that()
          .resideInAPackage(feature)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              java.util.Arrays.stream(FEATURES)
                  .filter(f -> !f.equals(feature))
                  .toArray(String[]::new))
          .check(classes);
    }
  }

  @Test
  void noTwoPackagesDependOnEachOther() {
    slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void requestAttributesAreNamedInOnePlace() {
    // The server that sets them and the routes that read them go through one type, so their names
    // cannot drift apart in copies.
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(RequestAttributes.class.getName())
        .should()
        .callMethodWhere(
            new DescribedPredicate<JavaMethodCall>("Context.attribute, get or set") {
              @Override
              public boolean test(JavaMethodCall call) {
                return call.getTarget().getName().equals("attribute")
                    && call.getTarget().getOwner().isAssignableTo(Context.class);
              }
            })
        .check(classes);
  }
}

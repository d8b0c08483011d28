package ie.skynet.accounts;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import ie.skynet.accounts.http.RequestAttributes;
import io.javalin.http.Context;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's one-way dependencies: cli/web/api → features → policy, http, directory/outbox/db;
 * nothing → app. {@code http} is what the web server tells features' routes about a request: below
 * the features, so that they need not see the server. Only packages that exist are named (lifecycle
 * and admin join when they are written). {@code templates} is in no group yet: its compiled pages
 * take features' view types while features use its mail templates.
 */
class ArchitectureTest {
  private static final String ROOT = "ie.skynet.accounts";
  private static final String[] FEATURES = {
    ROOT + ".membership..", ROOT + ".signup..", ROOT + ".account..", ROOT + ".ops.."
  };
  private static final String[] INFRASTRUCTURE = {
    ROOT + ".directory..", ROOT + ".outbox..", ROOT + ".db.."
  };
  private static final String[] FRONTS = {
    ROOT + ".cli..", ROOT + ".web..", ROOT + ".api..", ROOT + ".dev.."
  };

  /** Shared below the features: rules several apply, and what a request carries. */
  private static final String[] SHARED = {ROOT + ".policy..", ROOT + ".http.."};

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
  void infrastructureDependsOnNoFeatureOrFront() {
    noClasses()
        .that()
        .resideInAnyPackage(INFRASTRUCTURE)
        .should()
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
        .resideInAnyPackage(
            ROOT + ".membership..",
            ROOT + ".signup..",
            ROOT + ".account..",
            ROOT + ".api..",
            ROOT + ".web..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.unboundid..")
        .check(classes);
  }

  @Test
  void sharedPoliciesAndRequestAttributesDependOnNoFeature() {
    noClasses()
        .that()
        .resideInAnyPackage(SHARED)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FEATURES)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(FRONTS)
        .check(classes);
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

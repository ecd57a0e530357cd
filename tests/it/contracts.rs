//! The five contracts against their pages, the schema, and lint's diagnostics.

use std::collections::BTreeSet;

use docpact::contract::{self, ContractSet, Origin, walk};

use crate::support::{copy_contracts, root, run};

/// Parameter names as each page prints them, and its error codes, written out by hand.
struct PageFacts {
    op: &'static str,
    params: &'static [&'static str],
    errors: &'static [&'static str],
    samples: usize,
}

const PAGES: &[PageFacts] = &[
    PageFacts {
        op: "alibaba/bssopenapi/2017-12-14/CreateInstance#acr",
        params: &[
            "Action",
            "Parameter.1.Code",
            "Parameter.1.Value",
            "Parameter.2.Code",
            "Parameter.2.Value",
            "Parameter.3.Code",
            "Parameter.3.Value",
            "Parameter.4.Code",
            "Parameter.4.Value",
            "Parameter.5.Code",
            "Parameter.5.Value",
            "ProductCode",
            "SubscriptionType",
            "ProductType",
            "RenewPeriod",
            "Period",
            "RenewalStatus",
            "ClientToken",
        ],
        errors: &[],
        samples: 3,
    },
    PageFacts {
        op: "tencent/tcr/2019-09-24/CreateInstance",
        params: &[
            "Action",
            "Version",
            "Region",
            "RegistryName",
            "RegistryType",
            "TagSpecification",
            "RegistryChargeType",
            "RegistryChargePrepaid",
            "SyncTag",
            "EnableCosMAZ",
            "DeletionProtection",
        ],
        errors: &[
            "FailedOperation",
            "FailedOperation.GetDBDataError",
            "FailedOperation.TradeFailed",
            "FailedOperation.ValidateRegistryNameFail",
            "FailedOperation.ValidateSupportedRegionFail",
            "InternalError",
            "InternalError.DbError",
            "InternalError.ErrConflict",
            "InternalError.ErrNotExist",
            "InternalError.ErrorConflict",
            "InternalError.ErrorOverLimit",
            "InvalidParameter",
            "InvalidParameter.ErrorNameExists",
            "InvalidParameter.ErrorNameIllegal",
            "InvalidParameter.ErrorNameReserved",
            "InvalidParameter.ErrorRegistryName",
            "InvalidParameter.ErrorTagOverLimit",
            "InvalidParameter.UnsupportedRegion",
            "MissingParameter",
            "OperationDenied.QuotaOverLimit",
            "UnauthorizedOperation",
            "UnknownParameter",
            "UnsupportedOperation",
        ],
        samples: 2,
    },
    PageFacts {
        op: "alibaba/bssopenapi/2017-12-14/CreateInstance",
        params: &[
            "OwnerId",
            "ProductCode",
            "ProductType",
            "SubscriptionType",
            "ClientToken",
            "RenewalStatus",
            "Period",
            "RenewPeriod",
            "Parameter.n.Code",
            "Parameter.n.Value",
        ],
        errors: &[
            "NotApplicable",
            "MissingParameter",
            "InvalidParameter",
            "InvalidModuleCode",
            "InvalidConfigCode",
            "InvalidOwner",
            "InvalidCaller",
            "InternalError",
            "ProductNotFind",
        ],
        samples: 0,
    },
    PageFacts {
        op: "alibaba/ens/2017-11-10/CreateInstance",
        params: &[
            "InstanceType",
            "EnsRegionId",
            "Password",
            "Period",
            "ImageId",
            "SystemDisk.Size",
            "Quantity",
            "DataDisk.1.Size",
            "InternetChargeType",
            "AutoRenewPeriod",
            "AutoRenew",
            "IpType",
            "KeyPairName",
            "UserData",
            "VSwitchId",
            "PrivateIpAddress",
            "PaymentType",
            "InstanceName",
            "HostName",
            "UniqueSuffix",
            "PublicIpIdentification",
            "PasswordInherit",
        ],
        errors: &[
            "StockNotEnough",
            "InvalidUserData.NotInWhiteList",
            "MissingParameter",
            "InstanceIdNotFound",
            "NoPermission",
            "CallInterface",
            "InvalidParameter",
            "InvalidParameter.%s",
            "InvalidDiskSize.ValueNotSupported",
            "InvalidParameter.Bandwidth",
            "InvalidParameter.Image",
            "InvalidParameter.InstanceType",
            "InvalidAccountStatus.NotEnoughBalance",
            "unsupported_Ipv6Feature",
            "Forbidden.CreateInstance",
            "ENS_OperationUnsupported_KeyPairName",
            "ENS_DependencyViolation_WindowsInstance",
            "ENS_PASSWORDORKEYPAIRNAME_MODULE_NOT_CHOOSEN",
            "InvalidPrivateIpAddress",
            "InvalidVSwitchId.NotFound",
            "InvalidPrivateIpAddress.Duplicated",
            "InvalidPasswordParam.Mismatch",
        ],
        samples: 1,
    },
    PageFacts {
        op: "alibaba/searchengine/2021-10-25/CreateInstance",
        params: &[
            "body",
            "chargeType",
            "components",
            "code",
            "value",
            "order",
            "autoRenew",
            "duration",
            "pricingCycle",
        ],
        errors: &[],
        samples: 3,
    },
];

fn builtin() -> ContractSet {
    ContractSet::builtin().expect("built-in contracts load")
}

#[test]
fn every_parameter_error_and_sample_of_each_page_is_in_its_contract() {
    let set = builtin();
    for page in PAGES {
        let c = &set.find(page.op).expect(page.op).contract;
        let mut from_page = BTreeSet::new();
        let mut elsewhere = BTreeSet::new();
        walk(&c.parameters, &mut |_, p, _| {
            let printed = p.printed_as.clone().unwrap_or_else(|| p.name.clone());
            if matches!(p.origin, Origin::Page(_)) {
                from_page.insert(printed);
            } else {
                elsewhere.insert(printed);
            }
        });
        let want: BTreeSet<String> = page.params.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            from_page, want,
            "{}: parameters read from the page",
            page.op
        );
        assert!(
            elsewhere.is_disjoint(&want),
            "{}: {elsewhere:?} must not shadow page parameters",
            page.op
        );
        let codes: Vec<&str> = c.errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, page.errors, "{}: error codes in page order", page.op);
        assert_eq!(c.samples.len(), page.samples, "{}: samples", page.op);
    }
    assert_eq!(set.len(), PAGES.len());
}

/// Every fact that claims to come from a page line really is printed there.
#[test]
fn page_origins_point_at_lines_that_print_the_fact() {
    let set = builtin();
    for loaded in set.iter() {
        let c = &loaded.contract;
        let page: Vec<&str> = set.page(&c.source.page).expect("page").lines().collect();
        let span = |o: &Origin| match o {
            Origin::Page([a, b]) => Some(page[*a as usize - 1..*b as usize].join("\n")),
            _ => None,
        };
        walk(&c.parameters, &mut |path, p, _| {
            let printed = p.printed_as.as_deref().unwrap_or(&p.name);
            if let Some(text) = span(&p.origin) {
                assert!(
                    text.contains(printed),
                    "{loaded}: {path} is not printed on its lines"
                );
            }
        });
        for e in &c.errors {
            let text = span(&e.origin).expect("errors come from the page");
            assert!(
                text.contains(&e.code),
                "{loaded}: {} not on its line",
                e.code
            );
            if let Some(m) = &e.message {
                assert!(
                    text.contains(m.as_str()),
                    "{loaded}: message of {} not on its line",
                    e.code
                );
            }
        }
        for s in &c.samples {
            let text = span(&s.origin).expect("samples come from the page");
            assert_eq!(
                text.trim_end(),
                s.text,
                "{loaded}: sample text differs from the page"
            );
        }
    }
}

#[test]
fn built_in_contracts_lint_clean_and_record_the_pages_contradictions() {
    let report = contract::lint(&builtin());
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    let ids: Vec<String> = report
        .findings
        .iter()
        .map(|(op, f)| format!("{op}: {}", f.id))
        .collect();
    insta::assert_snapshot!(ids.join("\n"));
}

#[test]
fn built_in_set_equals_the_files_under_contracts() {
    let dir = ContractSet::from_dir(&root().join("contracts")).expect("folder loads");
    let builtin = builtin();
    let a: Vec<(&str, &str)> = dir
        .iter()
        .map(|c| (c.path.as_str(), c.text.as_str()))
        .collect();
    let mut b: Vec<(&str, &str)> = builtin
        .iter()
        .map(|c| (c.path.as_str(), c.text.as_str()))
        .collect();
    b.sort();
    assert_eq!(
        a, b,
        "src/contract/builtin.rs must list every contract file"
    );
    for name in ["000", "001", "002", "003", "004"] {
        let found = builtin
            .iter()
            .any(|c| c.contract.source.page.starts_with(name));
        assert!(found, "page {name} has a contract");
    }
}

#[test]
fn contract_files_are_in_canonical_form() {
    for c in builtin().iter() {
        let mut text = serde_json::to_string_pretty(&c.contract).expect("serializes");
        text.push('\n');
        assert_eq!(text, c.text, "{} is not in canonical form", c.path);
    }
}

#[test]
fn committed_schema_matches_the_model() {
    let committed = std::fs::read_to_string(root().join("contracts/schema.json")).expect("schema");
    assert_eq!(
        committed,
        contract::schema_json(),
        "regenerate with: cargo run -- contracts schema > contracts/schema.json"
    );
}

#[test]
fn pages_are_kept_byte_for_byte() {
    let seeds = root().join("../shared/seeds");
    for c in builtin().iter() {
        let name = &c.contract.source.page;
        let ours = std::fs::read(root().join("contracts/sources").join(name)).expect("page");
        if let Ok(seed) = std::fs::read(seeds.join(name)) {
            assert_eq!(ours, seed, "{name} differs from the captured page");
        }
        assert_eq!(ours, builtin().page(name).expect("built in").as_bytes());
    }
}

// --- broken contracts: each names the file, line and field -------------------------------

fn break_contract(edit: impl FnOnce(&mut serde_json::Value)) -> (i32, String, String) {
    let dir = copy_contracts();
    let file = dir
        .path()
        .join("alibaba/ens/2017-11-10/CreateInstance.json");
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    edit(&mut value);
    std::fs::write(&file, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    run(&["contracts", "lint", dir.path().to_str().unwrap()])
}

#[test]
fn lint_rejects_an_unknown_field_with_file_line_and_field() {
    let (code, _, err) = break_contract(|v| {
        v["parameters"][2]["sensitve"] = true.into();
    });
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("alibaba/ens/2017-11-10/CreateInstance.json:"),
        "{err}"
    );
    assert!(err.contains("parameters[2].sensitve"), "{err}");
    assert!(err.contains("unknown field `sensitve`"), "{err}");
}

#[test]
fn lint_rejects_a_bad_type_with_file_line_and_field() {
    let (code, _, err) = break_contract(|v| {
        v["parameters"][3]["required"] = "yes".into();
    });
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("CreateInstance.json:"), "{err}");
    assert!(
        err.contains("parameters[3].required: invalid type: string \"yes\", expected a boolean"),
        "{err}"
    );
}

#[test]
fn lint_reports_a_rule_naming_a_missing_parameter() {
    let (code, out, _) = break_contract(|v| {
        v["rules"][0]["param"] = "AutoRenewPeriodX".into();
    });
    assert_eq!(code, 1, "{out}");
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with("FAIL "))
        .expect("an error line");
    assert!(
        line.contains("alibaba/ens/2017-11-10/CreateInstance.json:")
            && line.contains(
                ": rules[0].param: the rule names AutoRenewPeriodX, which is not a parameter"
            ),
        "{line}"
    );
}

#[test]
fn lint_reports_an_example_that_breaks_its_constraint() {
    let (code, out, _) = break_contract(|v| {
        v["parameters"][3]["example"] = "10".into();
    });
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(": parameters[3].example: the example \"10\" of Period must be in 1 to 9 or 12, and no finding records it"),
        "{out}"
    );
}

#[test]
fn lint_points_at_the_line_of_the_broken_field() {
    let (_, out, _) = break_contract(|v| {
        v["rules"][1]["param"] = "Nope".into();
    });
    let dir_line = out
        .lines()
        .find(|l| l.contains("rules[1].param"))
        .expect("error");
    // Re-serialized with two-space indentation: the field sits on its own line.
    let pos: Vec<&str> = dir_line.split(':').collect();
    let line: usize = pos[1].parse().expect("line number");
    assert!(line > 100, "{dir_line}");
}

#[test]
fn lint_rejects_a_newer_format_version() {
    let (code, _, err) = break_contract(|v| v["format_version"] = 2.into());
    assert_eq!(code, 2);
    assert!(
        err.contains("format_version: format version 2 is not supported"),
        "{err}"
    );
}

#[test]
fn lint_rejects_malformed_json_and_non_utf8() {
    let dir = copy_contracts();
    let file = dir
        .path()
        .join("tencent/tcr/2019-09-24/CreateInstance.json");
    std::fs::write(&file, "{\n  \"format_version\": 1,\n  \"provider\": \n}").unwrap();
    let (code, _, err) = run(&["contracts", "lint", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("tencent/tcr/2019-09-24/CreateInstance.json:4:1: provider"),
        "{err}"
    );
    std::fs::write(&file, b"{\"a\": \"\xff\"}").unwrap();
    let (code, _, err) = run(&["contracts", "lint", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("CreateInstance.json:1:8: .: the file is not UTF-8"),
        "{err}"
    );
}

#[test]
fn lint_reports_a_profile_parameter_missing_from_its_base() {
    let dir = copy_contracts();
    let file = dir
        .path()
        .join("alibaba/bssopenapi/2017-12-14/CreateInstance.acr.json");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("\"Parameter.3.Code\"", "\"Parameter.300.Code\""),
    )
    .unwrap();
    let (code, out, _) = run(&["contracts", "lint", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Parameter.300.Code is not a parameter of the base operation"),
        "{out}"
    );
}

// --- the CLI -----------------------------------------------------------------------------

#[test]
fn contracts_list_names_the_five_operations() {
    let (code, out, _) = run(&["contracts", "list"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 5, "{out}");
    assert!(out.contains("alibaba/searchengine/2021-10-25/CreateInstance"));
    assert!(out.contains("/openapi/ha3/instances"));
}

#[test]
fn contracts_show_prints_the_file_and_explains_unknown_names() {
    let (code, out, _) = run(&["contracts", "show", "CreateInstance#acr"]);
    assert_eq!(code, 0);
    let file = std::fs::read_to_string(
        root().join("contracts/alibaba/bssopenapi/2017-12-14/CreateInstance.acr.json"),
    )
    .unwrap();
    assert_eq!(out, file);
    let (code, _, err) = run(&["contracts", "show", "CreateInstance"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("CreateInstance matches several operations"),
        "{err}"
    );
    assert!(err.contains("hint: run `docpact contracts list`"), "{err}");
    let (code, _, err) = run(&["contracts", "show", "Nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("no operation matches Nope"), "{err}");
}

#[test]
fn contracts_lint_on_a_missing_folder_is_a_setup_error() {
    let (code, _, err) = run(&["contracts", "lint", "/nonexistent/docpact"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read /nonexistent/docpact"), "{err}");
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&[
        "--contracts",
        empty.path().to_str().unwrap(),
        "contracts",
        "list",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("no contract files"), "{err}");
}

#[test]
fn contracts_fmt_rewrites_to_canonical_form_without_losing_anything() {
    let dir = copy_contracts();
    let file = dir
        .path()
        .join("alibaba/ens/2017-11-10/CreateInstance.json");
    let original = std::fs::read_to_string(&file).unwrap();
    let compact =
        serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&original).unwrap())
            .unwrap();
    std::fs::write(&file, compact).unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, out, _) = run(&["contracts", "fmt", "--check", d]);
    assert_eq!(
        (code, out.trim()),
        (
            1,
            "not canonical: alibaba/ens/2017-11-10/CreateInstance.json"
        )
    );
    let (code, out, _) = run(&["contracts", "fmt", d]);
    assert_eq!(
        (code, out.trim()),
        (0, "rewrote alibaba/ens/2017-11-10/CreateInstance.json")
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
}

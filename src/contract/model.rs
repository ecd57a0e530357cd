//! The contract format: serde types for one documented operation.
//!
//! Every fact carries an [`Origin`]: the line range of the source page it was read from, or
//! the SDK or document it came from when the page does not print it. Input is strict
//! (`deny_unknown_fields`, externally tagged enums only), so a typo in a contract is an error
//! with a file, line and field rather than a silently ignored key.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of the contract format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// One documented operation (or one profile of it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// The contract format version; must equal [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The cloud provider.
    pub provider: Provider,
    /// The product as the provider names it (`BssOpenApi`, `Ens`, `tcr`).
    pub product: String,
    /// The lowercase service code used in endpoints and credential scopes (`bssopenapi`, `tcr`).
    pub service: String,
    /// The API version (`2017-12-14`).
    pub version: String,
    /// The action name (`CreateInstance`).
    pub action: String,
    /// How requests travel on the wire.
    pub style: WireStyle,
    /// A one-line summary from the page.
    pub summary: String,
    /// The endpoint host the provider serves this operation on.
    pub endpoint: Endpoint,
    /// HTTP method(s) and path.
    pub http: Http,
    /// The documentation page this contract is derived from.
    pub source: PageSource,
    /// Set when this contract narrows another one for one parameter value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    /// Where facts the page does not print came from (API version, endpoint, nested types).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Fact>,
    /// Request parameters in their documented names.
    pub parameters: Vec<Parameter>,
    /// Conditional rules between parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// The success response.
    pub response: Response,
    /// Sample requests and responses, as printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<Sample>,
    /// The operation's error table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorEntry>,
    /// Rate limits, idempotency and asynchronous behaviour.
    #[serde(default, skip_serializing_if = "Limits::is_empty")]
    pub limits: Limits,
    /// Statements of the page that docpact records but cannot enforce.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Places where the page contradicts itself (or its base page), and how docpact resolves them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    /// Set by `docpact derive` when facts are missing (version, endpoint, …): a draft is
    /// written for review and is not loaded for serving.
    #[serde(default, skip_serializing_if = "is_false")]
    pub draft: bool,
}

/// A cloud provider.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// Alibaba Cloud.
    Alibaba,
    /// Tencent Cloud.
    Tencent,
}

/// The wire style of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WireStyle {
    /// Alibaba RPC: `Action` and `Version` with flat parameters in the query or a form body.
    AlibabaRpc,
    /// Alibaba ROA: method + path, JSON body.
    AlibabaRoa,
    /// Tencent Cloud API 3.0: JSON POST with `X-TC-*` headers (or the older form style).
    TencentApi3,
}

impl WireStyle {
    /// The name used in contracts and output.
    pub fn name(self) -> &'static str {
        match self {
            WireStyle::AlibabaRpc => "alibaba_rpc",
            WireStyle::AlibabaRoa => "alibaba_roa",
            WireStyle::TencentApi3 => "tencent_api3",
        }
    }
}

/// Where a fact came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Lines `[first, last]` (1-based, inclusive) of the contract's source page.
    Page([u32; 2]),
    /// Lines of another page under `contracts/sources/` (file name, first, last).
    OtherPage(String, u32, u32),
    /// A provider SDK: package, version and the place in it.
    Sdk(String),
    /// Provider documentation other than the source page, or observed wire behaviour.
    Docs(String),
}

/// The endpoint host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// Host name without scheme (`business.aliyuncs.com`).
    pub host: String,
    /// Where the host came from.
    pub origin: Origin,
}

/// HTTP method(s) and path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Http {
    /// Accepted methods (`GET`, `POST`).
    pub methods: Vec<String>,
    /// The request path (`/` for RPC and API 3.0).
    pub path: String,
    /// Where the method and path came from.
    pub origin: Origin,
}

/// The page a contract is derived from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageSource {
    /// File name under `contracts/sources/`.
    pub page: String,
    /// The page's own "last updated" date, as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
}

/// A profile: this contract applies on top of `base` when `when` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Short name of the profile (`acr`).
    pub name: String,
    /// The operation id of the base contract (`alibaba/bssopenapi/2017-12-14/CreateInstance`).
    pub base: String,
    /// The condition that selects this profile.
    pub when: Condition,
    /// Where the selection rule came from.
    pub origin: Origin,
}

/// Provenance of a top-level fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// What the fact is about (`version`, `endpoint`, `TagSpecification members`).
    pub about: String,
    /// Where it came from.
    pub origin: Origin,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// A common parameter, carried as the wire style dictates (`Action`, `Version`, `Region`).
    Common,
    /// An RPC parameter: query string or form body, as the SDK chooses.
    Query,
    /// A JSON body member (API 3.0, ROA); flattened into form fields by older Tencent signing.
    Body,
    /// A path segment.
    Path,
    /// An HTTP header.
    Header,
}

/// A documented type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParamType {
    /// Text.
    String,
    /// A 32-bit integer.
    Integer,
    /// A 64-bit integer.
    Long,
    /// A floating-point number.
    Float,
    /// `true`/`false` (`True`/`False` from Python SDKs).
    Boolean,
    /// A structure with named members.
    Object,
    /// A list; the item type is `item_type`.
    Array,
}

/// A request parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// The documented name; a repeated index is written `N` (`Parameter.N.Code`).
    pub name: String,
    /// The name exactly as printed, when it differs (`Parameter.n.Code`, `DataDisk.1.Size`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed_as: Option<String>,
    /// Where it travels.
    #[serde(rename = "in")]
    pub location: Location,
    /// The documented type.
    #[serde(rename = "type")]
    pub ty: ParamType,
    /// For arrays, the item type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_type: Option<ParamType>,
    /// For structures, the provider's type name (`TagSpecification`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_name: Option<String>,
    /// Whether the page marks it required.
    pub required: bool,
    /// The default value the page states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The example value, as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// The page's description.
    pub description: String,
    /// Passwords, user data: never written to disk by recording or snapshots.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// The range of the repeated index `N`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<Repeat>,
    /// Constraints on the value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
    /// Members of a structure, or of each item of an array of structures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Parameter>,
    /// Where the parameter came from.
    pub origin: Origin,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The range of a repeated index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Repeat {
    /// The smallest index (1 for Alibaba lists).
    pub min: u32,
    /// The largest index, when the page states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// Where the range came from.
    pub origin: Origin,
}

/// One constraint on a value, with the error code the page names for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    /// What is checked.
    pub check: Predicate,
    /// The error code to answer with; the provider's generic code when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Where the constraint came from.
    pub origin: Origin,
}

/// A predicate on a value (the `check` of a constraint).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Predicate {
    /// One of the listed values.
    Enum {
        /// The valid values.
        values: Vec<EnumValue>,
    },
    /// Exactly this value ("Set the value to CreateInstance").
    Const {
        /// The only valid value.
        value: String,
    },
    /// Length in characters.
    Length {
        /// Minimum characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u64>,
        /// Maximum characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u64>,
    },
    /// Size in bytes (UTF-8).
    Bytes {
        /// Maximum bytes.
        max: u64,
    },
    /// An integer within the union of inclusive ranges ("1 to 9 and 12" is `[[1,9],[12,12]]`).
    Range {
        /// Inclusive `[low, high]` ranges; `null` for an open end.
        ranges: Vec<[Option<i64>; 2]>,
    },
    /// An integer multiple of `factor`.
    MultipleOf {
        /// The factor.
        factor: i64,
    },
    /// Exactly `count` decimal digits.
    Digits {
        /// The number of digits.
        count: u32,
    },
    /// Every character belongs to one of the classes or to `extra`.
    Charset {
        /// Allowed classes.
        classes: Vec<CharClass>,
        /// Further allowed characters.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        extra: String,
    },
    /// The first character belongs to one of the classes.
    StartsWithClass {
        /// Allowed classes for the first character.
        classes: Vec<CharClass>,
    },
    /// The value starts with this text.
    StartsWith {
        /// The required prefix.
        prefix: String,
    },
    /// The value does not start with any of these.
    NotStartsWith {
        /// Forbidden prefixes.
        prefixes: Vec<String>,
    },
    /// Neither the first nor the last character is one of these.
    NotAtEdges {
        /// Forbidden edge characters.
        chars: String,
    },
    /// None of these characters appears twice in a row.
    NoRepeated {
        /// Characters that may not repeat.
        chars: String,
    },
    /// A password: length bounds and a number of character classes, specials from a list.
    Password {
        /// Minimum length.
        min_length: u64,
        /// Maximum length.
        max_length: u64,
        /// How many of upper, lower, digit and special must occur.
        min_classes: u8,
        /// The characters that count as special (and the only non-alphanumerics allowed).
        specials: String,
    },
    /// A list holds at most this many items.
    MaxItems {
        /// Maximum items.
        max: u64,
    },
}

/// A class of characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CharClass {
    /// `a-z`.
    Lower,
    /// `A-Z`.
    Upper,
    /// `a-z` and `A-Z`.
    Letter,
    /// `0-9`.
    Digit,
    /// Any ASCII character.
    Ascii,
}

/// One valid value with the page's label for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The value on the wire.
    pub value: String,
    /// The page's explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// False when the page lists the value but says it is not supported.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub supported: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// A conditional rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// What the rule demands of `param`.
    pub kind: RuleKind,
    /// The parameter the rule is about.
    pub param: String,
    /// When the rule applies.
    pub when: Condition,
    /// The error code the page names for a breach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Where the rule came from.
    pub origin: Origin,
}

/// What a rule demands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// `param` must be present.
    RequiredIf,
    /// `param` must be absent (or empty).
    AbsentIf,
}

/// A condition on the request's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// `param` has this value (booleans compare case-insensitively).
    Equals {
        /// The parameter.
        param: String,
        /// The value.
        value: String,
    },
    /// `param` is present.
    Present {
        /// The parameter.
        param: String,
    },
}

/// The success response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// Fields as documented, nested.
    pub fields: Vec<Field>,
    /// True when the fields above are the page's account only and the served body follows
    /// the base contract (a profile page whose field names differ from the API's).
    #[serde(default, skip_serializing_if = "is_false")]
    pub documented_only: bool,
}

/// A response field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The field name as sent.
    pub name: String,
    /// The documented type.
    #[serde(rename = "type")]
    pub ty: ParamType,
    /// For arrays, the item type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_type: Option<ParamType>,
    /// The page's description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The example value, as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Members of a structure (or of each item of an array of structures).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Field>,
    /// How the replay server fills the field; absent fields are left out of answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate: Option<Generate>,
    /// The value is a secret or user data (a password, a key, personal data): cassettes
    /// store it redacted.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// Where the field came from.
    pub origin: Origin,
}

/// How a response value is generated (deterministically under a seed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Generate {
    /// The provider's RequestId form.
    RequestId,
    /// A fixed value.
    Const {
        /// The value, as JSON.
        value: serde_json::Value,
    },
    /// An ID: the prefix, then lowercase letters and digits.
    Id {
        /// The prefix (`ha-cn-`).
        prefix: String,
        /// Characters after the prefix.
        length: u32,
    },
    /// A number of this many digits (a JSON number for integer fields, else a string).
    Digits {
        /// How many digits.
        length: u32,
    },
    /// A list of IDs, as many as the integer request parameter `count_from` says (1 if absent).
    Ids {
        /// The prefix of each ID.
        prefix: String,
        /// Characters after the prefix.
        length: u32,
        /// The parameter giving the count (`Quantity`).
        count_from: String,
    },
}

/// A sample request or response, exactly as printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// Request, success response or error response.
    pub kind: SampleKind,
    /// How the text is written.
    pub format: SampleFormat,
    /// The page's caption for the sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The sample text, byte for byte (trailing spaces trimmed).
    pub text: String,
    /// Where it is printed.
    pub origin: Origin,
}

/// What a sample shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SampleKind {
    /// A request.
    Request,
    /// A success response.
    Success,
    /// An error response.
    Error,
}

/// How a sample is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SampleFormat {
    /// A URL with one `&name=value` per line.
    Url,
    /// JSON.
    Json,
    /// XML (possibly without a root element, as printed).
    Xml,
}

/// One row of the error table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorEntry {
    /// The error code.
    pub code: String,
    /// The HTTP status, where the page gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// The error message as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The page's description of when it happens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the row is printed.
    pub origin: Origin,
}

/// Rate limits, idempotency, asynchronous behaviour.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// The documented request rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<RateLimit>,
    /// The parameter that makes retries idempotent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency: Option<Idempotency>,
    /// What the page says about asynchronous completion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asynchronous: Option<Note>,
    /// Parameters whose value must be unused by earlier successful calls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unique: Vec<Unique>,
}

impl Limits {
    /// True when nothing is set.
    pub fn is_empty(&self) -> bool {
        self.rate.is_none()
            && self.idempotency.is_none()
            && self.asynchronous.is_none()
            && self.unique.is_empty()
    }
}

/// A parameter whose value must be unique among created resources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unique {
    /// The parameter (`RegistryName`).
    pub param: String,
    /// The error code for a value already taken.
    pub error: String,
    /// Where the rule came from.
    pub origin: Origin,
}

/// A documented request rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Requests per second.
    pub per_second: u32,
    /// Who shares the budget.
    pub scope: RateScope,
    /// Where the limit came from.
    pub origin: Origin,
}

/// Who shares a rate budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RateScope {
    /// Every caller of this API together, as far as the page says.
    Api,
    /// Each account.
    Account,
}

/// The idempotency parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Idempotency {
    /// The parameter name (`ClientToken`).
    pub param: String,
    /// Where the behaviour came from.
    pub origin: Origin,
}

/// A statement docpact records but does not enforce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// The statement: docpact's words, or the page's sentence quoted by `derive`.
    pub text: String,
    /// Where it came from.
    pub origin: Origin,
}

/// A place where the page contradicts itself, and docpact's resolution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// A stable identifier, unique in the contract (`example-outside-valid-values:duration`).
    pub id: String,
    /// What sort of contradiction it is.
    pub kind: FindingKind,
    /// The parameters, fields or samples involved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    /// What the page says, in docpact's words.
    pub message: String,
    /// How docpact resolves it.
    pub resolution: String,
    /// Where on the page.
    pub origin: Origin,
}

/// Kinds of page contradictions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// An example value lies outside the valid values the page states.
    ExampleOutsideValidValues,
    /// An example value disagrees with its documented type or format.
    ExampleTypeMismatch,
    /// The page gives two different paths for the operation.
    PathMismatch,
    /// A sample's IDs differ in prefix from the documented example.
    SampleIdPrefixMismatch,
    /// A sample has fields that duplicate or conflict with each other or with the table.
    SampleFieldConflict,
    /// A sample's structure disagrees with the documented type.
    SampleShapeMismatch,
    /// A sample request breaks the page's own rules.
    SampleBreaksRule,
    /// A sample cannot be parsed as the format it claims.
    SampleMalformed,
    /// A section announces samples but contains none.
    SampleMissing,
    /// The required flag disagrees with the description.
    RequiredMismatch,
    /// A rule or description names a parameter the page does not document.
    UndocumentedParameter,
    /// Two statements of a limit cannot both hold.
    ConflictingLimits,
    /// A table's header does not describe its rows.
    TableHeaderMismatch,
    /// The page disagrees with its base page or the API's SDK model.
    DisagreesWithBase,
}

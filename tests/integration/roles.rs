//! Every role, every pool: one profile per role the user may take, confirmed by STS
//! GetCallerIdentity; several identity pools; the classic flow; refusals as rows.

use serde_json::Value;

use crate::util::*;

fn role(name: &str) -> String {
    peers()
        .seed
        .groups
        .iter()
        .find(|g| g.name == name)
        .unwrap_or_else(|| panic!("no group {name}"))
        .role_arn
        .clone()
}

/// The config's identity pool block, replaced by `pools`.
fn with_pools(tag: &str, pools: &str) -> Sandbox {
    let pools = pools.to_string();
    Sandbox::with_config(tag, move |text| {
        let start = text.find("[[connection.identity_pool]]").unwrap();
        let end = text.find("[connection.endpoints]").unwrap();
        text.replace_range(start..end, &pools);
    })
}

fn pool(id: &str, profile: &str, extra: &str) -> String {
    format!("[[connection.identity_pool]]\nid = \"{id}\"\nprofile = \"{profile}\"\nregion = \"ap-northeast-1\"\n{extra}\n\n")
}

fn list_row(sb: &Sandbox, profile: &str) -> String {
    let list = sb.run(&["list"]);
    list.stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(profile))
        .unwrap_or_else(|| panic!("no row {profile}:\n{list}"))
        .to_string()
}

fn calls(user: &str, op: &str) -> Vec<Value> {
    aws_calls(user)
        .into_iter()
        .filter(|c| c["op"] == op)
        .collect()
}

#[test]
fn all_roles_get_one_profile_each_with_that_role() {
    let p = &peers().seed;
    let sb = with_pools(
        "allroles",
        &pool(
            &p.identity_pool_id,
            "{connection}-{role_name}",
            "roles = \"all\"",
        ),
    );
    let login = unique("user");
    let run = sb.login(&login, "Google");
    run.assert_ok();
    let user = format!("Google_{login}");
    // The default user is in admins and developers.
    for group in ["admins", "developers"] {
        let profile = format!("{}-PoolPass-{group}", sb.connection);
        // Asked for with CustomRoleArn, confirmed by STS, shown by `list`.
        let issued = aws_calls(&user)
            .into_iter()
            .rfind(|c| {
                c["op"] == "GetCredentialsForIdentity"
                    && c["custom_role_arn"] == role(group).as_str()
            })
            .unwrap_or_else(|| panic!("{run}"));
        assert_eq!(
            sb.botocore_read(&profile).access_key_id,
            issued["issued"]["AccessKeyId"].as_str().unwrap()
        );
        let row = list_row(&sb, &profile);
        assert!(
            row.contains(&format!("PoolPass-{group}")) && row.contains("123456789012"),
            "{row}"
        );
        let state = sb.state();
        assert_eq!(state["profiles"][&profile]["caller_arn"], format!("arn:aws:sts::123456789012:assumed-role/PoolPass-{group}/CognitoIdentityCredentials"));
    }
    // One GetId for the pool, shared by both roles; one STS check per profile.
    assert_eq!(calls(&user, "GetId").len(), 1);

    // A refresh: new keys for both roles, and no more STS checks (the role is known).
    sb.run(&["refresh"]).assert_ok();
    assert_eq!(calls(&user, "GetCredentialsForIdentity").len(), 4);
    // STS checks are signed with the keys they check: ours are those made with keys issued to us.
    let ours: Vec<Value> = json_get(&format!("{}/__proxy/log", peers().aws))
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["op"] == "GetCallerIdentity"
                && calls(&user, "GetCredentialsForIdentity")
                    .iter()
                    .any(|g| g["issued"]["AccessKeyId"] == c["access_key_id"])
        })
        .cloned()
        .collect();
    assert_eq!(ours.len(), 2, "STS was asked again on refresh: {ours:?}");
}

#[test]
fn the_preferred_role_is_the_default() {
    let sb = Sandbox::new("preferred");
    let login = unique("reader");
    sb.login(&login, "COGNITO").assert_ok();
    let gets = calls(&login, "GetCredentialsForIdentity");
    assert_eq!(gets.len(), 1);
    // No CustomRoleArn: the pool picks the preferred role (the reader's only group).
    assert!(gets[0]["custom_role_arn"].is_null());
    assert!(list_row(&sb, &sb.profile).contains("PoolPass-readonly"));
}

#[test]
fn a_listed_role_the_user_lacks_or_the_pool_refuses_is_a_row_not_a_failed_sign_in() {
    let p = &peers().seed;
    let roles = format!(
        "roles = [\"{}\", \"{}\", \"{}\"]",
        role("developers"),
        role("admins"),
        role("untrusted")
    );
    let sb = with_pools(
        "listed",
        &pool(&p.identity_pool_id, "listed-{role_name}", &roles),
    );
    // In developers and untrusted, not admins; untrusted's trust policy refuses the pool.
    let login = unique("untrusting");
    let run = sb.login(&login, "COGNITO");
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.stdout.contains("listed-PoolPass-developers: written"),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("listed-PoolPass-admins: FAILED [role_not_granted]"),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("listed-PoolPass-untrusted: FAILED [identity_pool]")
            && run.stdout.contains("administrator"),
        "{run}"
    );
    sb.botocore_read("listed-PoolPass-developers");
    // The role the user lacks was not even asked for.
    assert!(calls(&login, "GetCredentialsForIdentity")
        .iter()
        .all(|c| c["custom_role_arn"] != role("admins").as_str()));
}

#[test]
fn two_identity_pools_in_two_regions() {
    let p = &peers().seed;
    let pools = format!(
        "{}{}",
        pool(&p.identity_pool_id, "tokyo", ""),
        pool(&p.second_identity_pool_id, "ireland", "")
            .replace("region = \"ap-northeast-1\"", "region = \"eu-west-1\"")
    );
    let sb = with_pools("twopools", &pools);
    let login = unique("user");
    sb.login(&login, "Facebook").assert_ok();
    let user = format!("Facebook_{login}");
    let pools_asked: Vec<String> = calls(&user, "GetId")
        .iter()
        .map(|c| c["identity_pool_id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        pools_asked.contains(&p.identity_pool_id)
            && pools_asked.contains(&p.second_identity_pool_id),
        "{pools_asked:?}"
    );
    assert_eq!(
        sb.botocore_read("tokyo").region.as_deref(),
        Some("ap-northeast-1")
    );
    assert_eq!(
        sb.botocore_read("ireland").region.as_deref(),
        Some("eu-west-1")
    );
    assert_ne!(
        sb.botocore_read("tokyo").access_key_id,
        sb.botocore_read("ireland").access_key_id
    );
}

#[test]
fn the_logins_key_names_the_user_pool_in_its_own_region() {
    // The user pool is in us-west-2, the identity pool in ap-northeast-1: the proxy refuses,
    // as AWS does, a Logins key that names any other provider.
    let sb = Sandbox::new("loginskey");
    let login = unique("user");
    sb.login(&login, "COGNITO").assert_ok();
    assert!(calls(&login, "GetId")
        .iter()
        .all(|c| c.get("refused").is_none()));
}

#[test]
fn classic_flow_gives_twelve_hour_sessions() {
    let p = &peers().seed;
    let sb = with_pools(
        "classic",
        &pool(
            &p.identity_pool_id,
            "classic",
            "flow = \"classic\"\nduration_seconds = 43200",
        ),
    );
    let login = unique("user");
    let run = sb.login(&login, "SignInWithApple");
    run.assert_ok();
    let user = format!("SignInWithApple_{login}");
    let assumed = calls(&user, "AssumeRoleWithWebIdentity");
    assert_eq!(assumed.len(), 1, "{:?}", aws_calls(&user));
    assert_eq!(assumed[0]["duration_seconds"], 43200);
    assert_eq!(assumed[0]["role"], role("admins").as_str());
    assert_eq!(
        sb.botocore_read("classic").access_key_id,
        assumed[0]["issued"]["AccessKeyId"].as_str().unwrap()
    );
    assert!(
        list_row(&sb, "classic").contains("11h 59m left")
            || list_row(&sb, "classic").contains("12h 0m left"),
        "{}",
        list_row(&sb, "classic")
    );
}

#[test]
fn classic_flow_on_a_pool_with_role_mappings_says_how_to_fix_it() {
    let p = &peers().seed;
    let sb = with_pools(
        "rolemapped",
        &pool(&p.role_mapped_pools[0], "mapped", "flow = \"classic\""),
    );
    let run = sb.login(&unique("user"), "COGNITO");
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.stdout.contains("not supported with RoleMappings")
            && run.stdout.contains("remove flow = \"classic\""),
        "{run}"
    );
    assert!(read(&sb.credentials_path()).is_none());
}

#[test]
fn classic_flow_on_a_pool_that_disallows_it_says_how_to_fix_it() {
    let p = &peers().seed;
    let sb = with_pools(
        "noclassic",
        &pool(
            &p.classic_disabled_pools[0],
            "noclassic",
            "flow = \"classic\"",
        ),
    );
    let run = sb.login(&unique("user"), "COGNITO");
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.stdout.contains("classic flow is switched off")
            && run.stdout.contains("AllowClassicFlow"),
        "{run}"
    );
    assert!(read(&sb.credentials_path()).is_none());
}

#[test]
fn a_cached_identity_aws_no_longer_knows_is_fetched_again() {
    let sb = Sandbox::new("staleid");
    let login = unique("user");
    sb.login(&login, "COGNITO").assert_ok();
    // The identity was deleted at AWS: PoolPass's cached id is now unknown there.
    let mut state = sb.state();
    let key = state["identities"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    state["identities"][&key] = "ap-northeast-1:00000000-dead-dead-dead-000000000000".into();
    std::fs::write(sb.state_path(), serde_json::to_vec(&state).unwrap()).unwrap();

    sb.run(&["refresh"]).assert_ok();
    let calls = aws_calls(&login);
    assert!(
        calls.iter().any(|c| c["refused"] == "unknown identity"),
        "{calls:?}"
    );
    assert_eq!(
        calls.iter().filter(|c| c["op"] == "GetId").count(),
        2,
        "GetId again after the refusal"
    );
    assert_ne!(
        sb.state()["identities"][&key],
        "ap-northeast-1:00000000-dead-dead-dead-000000000000"
    );
    assert_eq!(
        sb.botocore_read(&sb.profile).access_key_id,
        last_issued(&login)["AccessKeyId"].as_str().unwrap()
    );
}

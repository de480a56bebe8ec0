"""Writes the hostile corpus: AWS shared files built from the edge cases users' tools have
broken (and the aws-cli writer's own test list). Each file's name says what it holds; its
extension says which file it plays (.credentials or .config). A name containing `refuse`
is a file PoolPass must refuse to edit, naming the line. PoolPass's profile in every case is
`poolpass`. Run it to regenerate; the files are committed so the tests need no Python to
build them.
"""
import os

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
os.makedirs(here, exist_ok=True)
for f in os.listdir(here):
    os.remove(os.path.join(here, f))

def w(name, data):
    with open(os.path.join(here, name), "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)

K = "aws_access_key_id = AKIA{0}\naws_secret_access_key = secret-{0}\n"
many = "".join(f"# profile number {i}\n[p{i:02d}]\n" + K.format(f"P{i:02d}") + "\n" for i in range(35))

cases = {
    "01-empty.credentials": "",
    "02-only-comments.credentials": "# nothing here yet\n; really nothing\n",
    "03-no-final-newline.credentials": "[work]\n" + K.format("WORK").rstrip("\n"),
    "04-crlf.credentials": ("[work]\n" + K.format("WORK") + "\n[home]\n" + K.format("HOME")).replace("\n", "\r\n"),
    "05-mixed-line-ends.credentials": "[work]\r\naws_access_key_id = AKIAWORK\naws_secret_access_key = s\r\n\n[home]\n" + K.format("HOME"),
    "06-refuse-bom.credentials": "\ufeff# starts with a BOM\n[work]\n" + K.format("WORK"),
    "07-refuse-bom-crlf-no-final-newline.credentials": ("\ufeff[work]\n" + K.format("WORK")).replace("\n", "\r\n").rstrip("\r\n"),
    "08-ours-in-the-middle.credentials": "[a]\n" + K.format("A") + "\n# ours:\n[poolpass]\naws_access_key_id = OLD\naws_secret_access_key = old\nregion = us-east-1\n\n# after ours\n[b]\n" + K.format("B"),
    "09-ours-last-no-newline.credentials": "[a]\n" + K.format("A") + "[poolpass]\naws_access_key_id = OLD",
    "10-ours-uppercase-keys.credentials": "[poolpass]\nAWS_ACCESS_KEY_ID = OLD\nAws_Secret_Access_Key = old\nAWS_SESSION_TOKEN = oldtoken\n[z]\n" + K.format("Z"),
    "11-ours-stale-security-token.credentials": "[poolpass]\naws_access_key_id = OLD\naws_secret_access_key = old\naws_security_token = STALE\naws_session_token = old\n",
    "12-ours-colon-delimiter.credentials": "[poolpass]\naws_access_key_id: OLD\naws_secret_access_key: old\n[other]\naws_access_key_id: AKIAOTHER\naws_secret_access_key: o\n",
    "13-no-spaces.credentials": "[work]\naws_access_key_id=AKIAWORK\naws_secret_access_key=w\n[poolpass]\naws_access_key_id=OLD\n",
    "14-tabs.credentials": "[work]\naws_access_key_id\t=\tAKIAWORK\naws_secret_access_key\t= w\n",
    "15-indented-comments.credentials": "   # indented comment\n[work]\n  ; another\n" + K.format("WORK"),
    "16-semicolon-comments.credentials": "; top\n[work]\n; inside\n" + K.format("WORK") + "; bottom\n",
    "17-hash-in-other-values.credentials": "[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = abc#def ;ghi\n",
    "18-nested-subsection-elsewhere.credentials": "[work]\n" + K.format("WORK") + "s3 =\n    max_concurrent_requests = 20\n    addressing_style = path\n",
    "19-thirty-five-profiles.credentials": many,
    "20-other-duplicate-section.credentials": "[work]\n" + K.format("WORK") + "[work]\n" + K.format("WORK2"),
    "21-refuse-duplicate-of-ours.credentials": "[poolpass]\naws_access_key_id = A\n[x]\nk = v\n[poolpass]\naws_access_key_id = B\n",
    "22-refuse-duplicate-key-in-ours.credentials": "[poolpass]\naws_access_key_id = A\nAWS_ACCESS_KEY_ID = B\n",
    "23-refuse-key-outside-any-section.credentials": "orphan = value\n[work]\n" + K.format("WORK"),
    "24-refuse-not-utf8.credentials": b"[work]\naws_access_key_id = AKIAWORK\n\xff\xfe garbage \x80\n[other]\n",
    "25-refuse-nul-byte.credentials": b"[work]\naws_access_key_id = AKIA\x00WORK\n",
    "26-refuse-space-inside-brackets.credentials": "[poolpass ]\naws_access_key_id = NOTOURS\naws_secret_access_key = n\n[ poolpass]\naws_access_key_id = NOTOURS2\naws_secret_access_key = n\n",
    "27-header-with-trailing-comment.credentials": "[work] # my work account\n" + K.format("WORK"),
    "28-profile-prefix-in-credentials.credentials": "[profile poolpass]\naws_access_key_id = NOTOURS\naws_secret_access_key = n\n",
    "29-very-long-value.credentials": "[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = " + "x" * 10000 + "\n",
    "30-unicode.credentials": "# 日本語のコメント ✓\n[ünïcødé]\n" + K.format("UNI") + "[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = ключ\n",
    "31-whitespace-lines.credentials": "   \n\t\n[work]\n" + K.format("WORK") + "   \n\t\n",
    "32-cr-only-line-ends.credentials": ("[work]\n" + K.format("WORK")).replace("\n", "\r"),
    "33-trailing-space-after-header.credentials": "[work]   \n" + K.format("WORK") + "[poolpass]\t\naws_access_key_id = OLD\n",
    "34-empty-values.credentials": "[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = w\naws_session_token =\n",
    "35-many-blank-lines.credentials": "\n\n\n[work]\n\n\n" + K.format("WORK") + "\n\n\n\n",
    "36-empty-section.credentials": "[empty]\n[work]\n" + K.format("WORK") + "[empty2]",
    "37-ours-has-nested-subsection.credentials": "[poolpass]\naws_access_key_id = OLD\ns3 =\n    max_concurrent_requests = 20\naws_secret_access_key = old\n",
    "38-default-only.credentials": "[default]\n" + K.format("DEFAULT"),
    "39-odd-key-spacing.credentials": "[work]\n  Aws_Access_Key_Id   =   AKIAWORK   \naws_secret_access_key=   w\n",
    "40-continuation-lines.credentials": "[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = w\nnote = first line\n  second line\n  third line\n",
    "41-just-our-header.credentials": "[poolpass]",
    "42-ours-first-with-comments.credentials": "[poolpass]\n# keep this comment\naws_access_key_id = OLD\n; and this one\n\n[work]\n" + K.format("WORK"),
    "43-crlf-ours-in-middle.credentials": ("[a]\n" + K.format("A") + "[poolpass]\naws_access_key_id = OLD\n[b]\n" + K.format("B")).replace("\n", "\r\n"),
    "44-refuse-not-utf8-in-ours.credentials": b"[poolpass]\naws_access_key_id = \xc3\x28\n",
    # Found by an independent hostile corpus (issue 16): files neither SDK reads, indented
    # files, an indented header that is a value's continuation, inherited defaults.
    "45-refuse-unclosed-header.credentials": "[work]\n" + K.format("WORK") + "[poolpass\naws_access_key_id = OLD\n",
    "46-indented-file.credentials": "  [work]\n  aws_access_key_id = AKIAWORK\n  aws_secret_access_key = w\n\n  [poolpass]\n  aws_access_key_id = OLD\n  aws_secret_access_key = old\n\n  [z]\n  aws_access_key_id = AKIAZ\n  aws_secret_access_key = z\n",
    "47-indented-file-without-ours.credentials": "  [work]\n  aws_access_key_id = AKIAWORK\n  aws_secret_access_key = w\n",
    "48-indented-header-is-a-continuation.credentials": "[work]\n" + K.format("WORK") + "\n  [poolpass]\nregion = us-east-1\n",
    "49-default-section-stale-token.credentials": "[DEFAULT]\naws_security_token = STALE\n\n[poolpass]\naws_access_key_id = OLD\naws_secret_access_key = old\naws_session_token = old\n\n[work]\n" + K.format("WORK"),
    "49b-default-section-stale-token-without-ours.credentials": "[DEFAULT]\naws_security_token = STALE\n[work]\n" + K.format("WORK"),
    # Config files.
    "50-config-ours-with-credential-process.config": "[default]\nregion = eu-west-1\n\n[profile poolpass]\nregion = us-east-1\ncredential_process = /old/helper --profile poolpass\noutput = json\n",
    "51-config-refuse-quoted-name.config": "[profile \"poolpass\"]\nregion = us-east-1\n[profile \"with space\"]\nregion = us-east-2\n",
    "52-config-extra-spaces.config": "[profile    poolpass]\nregion = us-east-1\n",
    "53-config-unprefixed-name.config": "[poolpass]\nregion = us-east-1\n[profile other]\nregion = us-west-1\n",
    "54-config-default-nested-s3.config": "[default]\nregion = eu-west-1\ns3 =\n    max_concurrent_requests = 20\n    use_accelerate_endpoint = true\n",
    "55-config-sso-and-services.config": "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\n[services local]\ns3 =\n  endpoint_url = http://localhost:9000\n\n[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = us-east-1\n",
    "56-config-refuse-duplicate-of-ours.config": "[profile poolpass]\nregion = a\n[profile  poolpass]\nregion = b\n",
    "57-config-ours-crlf-no-final-newline.config": "[profile other]\r\nregion = us-west-1\r\n\r\n[profile poolpass]\r\nregion = us-east-1",
    "61-config-lookalike-space-inside-quotes.config": "[profile \"poolpass \"]\nregion = us-east-1\n[profile other]\nregion = us-west-1\n",
    "62-config-indented.config": "  [default]\n  region = eu-west-1\n  [profile poolpass]\n  region = us-east-1\n  [profile z]\n  region = us-west-2\n",
    "63-config-indented-header-is-a-continuation.config": "[profile other]\nregion = us-west-1\n  [profile poolpass]\noutput = json\n",
    "64-config-refuse-bom.config": "\ufeff[profile other]\nregion = us-west-1\n",
    "59-config-refuse-leading-space-in-header.config": "[profile other]\nregion = a\n[ profile poolpass]\nregion = b\n",
    "58-config-default-and-profile-default.config": "[default]\nregion = eu-west-1\n[profile poolpass]\noutput = text\n",
}
for name, data in cases.items():
    w(name, data)
print(f"wrote {len(cases)} files to {here}")

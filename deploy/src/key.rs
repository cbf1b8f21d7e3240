//! The deployer's key: `--keystore FILE` (an encrypted JSON keystore; the password from
//! `DEPLOY_KEYSTORE_PASSWORD` or a prompt), else the `PRIVATE_KEY` environment variable. Never a
//! file in the repository.

use std::path::Path;

use alloy::signers::local::PrivateKeySigner;

use crate::error::DeployError;

/// Environment variable holding a hex private key.
pub const PRIVATE_KEY_VAR: &str = "PRIVATE_KEY";
/// Environment variable holding the keystore's password.
pub const PASSWORD_VAR: &str = "DEPLOY_KEYSTORE_PASSWORD";

/// The signer from `keystore` when given (password from [`PASSWORD_VAR`] or a prompt), else
/// from [`PRIVATE_KEY_VAR`].
///
/// # Errors
/// [`DeployError::Key`] when neither is given, the key does not parse, the password cannot be
/// read or does not decrypt the keystore.
pub fn load_signer(keystore: Option<&Path>) -> Result<PrivateKeySigner, DeployError> {
    load_signer_with(keystore, PASSWORD_VAR)
}

/// As [`load_signer`], the keystore's password read from the variable `password_var` (another
/// tool's own) or a prompt.
///
/// # Errors
/// As [`load_signer`].
pub fn load_signer_with(
    keystore: Option<&Path>,
    password_var: &str,
) -> Result<PrivateKeySigner, DeployError> {
    if let Some(file) = keystore {
        let password = match std::env::var(password_var) {
            Ok(password) => password,
            Err(_) => rpassword::prompt_password(format!("password of {}: ", file.display()))
                .map_err(|e| DeployError::Key(format!("cannot read the password: {e}")))?,
        };
        return PrivateKeySigner::decrypt_keystore(file, password)
            .map_err(|e| DeployError::Key(format!("cannot decrypt {}: {e}", file.display())));
    }
    let key = std::env::var(PRIVATE_KEY_VAR)
        .map_err(|_| DeployError::Key(format!("no key: {PRIVATE_KEY_VAR} is not set")))?;
    key.trim()
        .parse()
        .map_err(|e| DeployError::Key(format!("{PRIVATE_KEY_VAR} is not a private key: {e}")))
}

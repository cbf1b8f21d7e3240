//! `deploy/addresses/<chain-id>.json`: where each contract of a deployment lives, written after
//! every deployment step so an interrupted run resumes where it stopped.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use alloy::primitives::Address;
use serde::{Deserialize, Serialize};

use crate::error::DeployError;

/// The file's content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressBook {
    /// The chain it belongs to.
    pub chain_id: u64,
    /// Contract name → address (`staking-vault`, `avs-registry-0`, …).
    pub contracts: BTreeMap<String, Address>,
}

impl AddressBook {
    /// `dir/<chain_id>.json`.
    #[must_use]
    pub fn path(dir: &Path, chain_id: u64) -> PathBuf {
        dir.join(format!("{chain_id}.json"))
    }

    /// The file's content, or an empty book when there is no file.
    ///
    /// # Errors
    /// [`DeployError::AddressesFile`] when it cannot be read, is malformed or names another chain.
    pub fn load(file: &Path, chain_id: u64) -> Result<Self, DeployError> {
        let bad = |reason: String| DeployError::AddressesFile {
            file: file.to_owned(),
            reason,
        };
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self {
                    chain_id,
                    contracts: BTreeMap::new(),
                })
            }
            Err(e) => return Err(bad(e.to_string())),
        };
        let book: Self = serde_json::from_str(&text)
            .map_err(|e| bad(format!("{e}; fix or delete it to deploy afresh")))?;
        if book.chain_id != chain_id {
            return Err(bad(format!(
                "written for chain {}, not {chain_id}; delete it or pass the matching network",
                book.chain_id
            )));
        }
        Ok(book)
    }

    /// Writes the file (creating its directory).
    ///
    /// # Errors
    /// [`DeployError::AddressesFile`] when it cannot be written.
    ///
    /// # Panics
    /// Never: a map of addresses always serializes.
    pub fn save(&self, file: &Path) -> Result<(), DeployError> {
        let bad = |e: std::io::Error| DeployError::AddressesFile {
            file: file.to_owned(),
            reason: e.to_string(),
        };
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(bad)?;
        }
        let mut text = serde_json::to_string_pretty(self)
            .expect("a map of addresses serializes (reason: plain data)");
        text.push('\n');
        std::fs::write(file, text).map_err(bad)
    }
}

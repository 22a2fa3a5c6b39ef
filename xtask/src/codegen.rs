//! `cargo xtask codegen`: writes the generated files under `schema/`: the JSON Schemas
//! (edition.toml, register.toml, the JSON twin, `teimark validate --format json`) and
//! `diagnostics.md`, the catalogue of every diagnostic code with the edition rules'
//! documentation harvested from their doc comments (`teimark::generated_schemas`).

use crate::repo;

pub fn run() -> Result<(), String> {
    let dir = repo().join("schema");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (name, content) in teimark::generated_schemas() {
        let path = dir.join(name);
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if old != content {
            std::fs::write(&path, &content)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            eprintln!("updated {}", path.display());
        }
    }
    Ok(())
}

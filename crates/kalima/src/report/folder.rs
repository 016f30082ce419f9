//! The report folder: built beside its target, swapped in whole.

use std::path::{Path, PathBuf};

use kalima_frame::OutputFormat;

use super::{ReportData, render};
use crate::chart::failed;
use crate::{Error, Observer, Result};

/// The file that marks a folder as a kalima report, so a later report may replace it.
pub const MARKER: &str = ".kalima-report";

/// Where a report goes, and the empty folder it is built in: a sibling of the target
/// (`.kalima-report-XXXXXX`, so one rename puts it in place), removed on error and on
/// interruption (see [`kalima_fs`]). The target is left as it is until the report is
/// complete; then the new folder replaces it whole, so it never mixes two runs.
///
/// ```
/// use kalima::report::{ReportFolder, ReportOptions, report_data};
/// use kalima::{Job, Silent, Source};
///
/// let dir = tempfile::tempdir().unwrap();
/// let target = dir.path().join("report");
/// let folder = ReportFolder::prepare(&target, false)?; // before any input is read
/// let job = Job::new(Source::Texts(vec!["كتب الولد الدرس".into()]));
/// folder.write(&report_data(&job, &ReportOptions::default())?.value, &Silent)?;
/// assert!(target.join("index.html").is_file() && target.join("data/top_terms.csv").is_file());
/// # Ok::<(), kalima::Error>(())
/// ```
#[derive(Debug)]
pub struct ReportFolder {
    target: PathBuf,
    staging: kalima_fs::TempDir,
}

impl ReportFolder {
    /// Check that `dir` may hold the report and make the folder to build it in. `dir` may be
    /// absent, empty, or an earlier report (it has a [`MARKER`] file); any other folder is
    /// refused unless `force` (then everything in it is replaced).
    pub fn prepare(dir: &Path, force: bool) -> Result<ReportFolder> {
        let shown = dir.display();
        let target = match std::fs::metadata(dir) {
            Ok(m) if !m.is_dir() => {
                return Err(Error::invalid(format!(
                    "{shown} exists and is not a folder"
                )));
            }
            Ok(_) => {
                let mut entries = std::fs::read_dir(dir)
                    .map_err(|e| failed(format_args!("reading {shown}"), &e))?;
                if entries.next().is_some() && !dir.join(MARKER).is_file() && !force {
                    return Err(Error::invalid(format!(
                        "{shown} is not empty and is not a kalima report (it has no {MARKER} file): \
                         give --force to replace it and everything in it"
                    )));
                }
                // `.`, `..` and links resolved: the folder itself is renamed, beside its parent.
                std::fs::canonicalize(dir)
                    .map_err(|e| failed(format_args!("reading {shown}"), &e))?
            }
            Err(_) => dir.to_path_buf(),
        };
        let cannot =
            |e: std::io::Error| failed(format_args!("cannot write {}", target.display()), &e);
        let parent = kalima_fs::parent_dir(&target);
        std::fs::create_dir_all(parent)
            .map_err(|e| failed(format_args!("creating {}", parent.display()), &e))?;
        let staging = kalima_fs::TempDir::new_in(parent, ".kalima-report-").map_err(cannot)?;
        for sub in ["data", "charts"] {
            let p = staging.path().join(sub);
            std::fs::create_dir(&p)
                .map_err(|e| failed(format_args!("creating {}", p.display()), &e))?;
        }
        kalima_fs::write_atomic(
            &staging.path().join(MARKER),
            format!("kalima {} report\n", env!("CARGO_PKG_VERSION")).as_bytes(),
        )
        .map_err(cannot)?;
        Ok(ReportFolder { target, staging })
    }

    /// The folder the report will replace or create.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Render `data` ([`render`]; notes on charts left out and on counts spilled to disk go
    /// to `notes`), write `index.html`, `report.md`, `charts/` and `data/` (CSV and Parquet,
    /// each file atomically) and put the folder in place.
    pub fn write(self, data: &ReportData, notes: &dyn Observer) -> Result<()> {
        let out = self.staging.path();
        let page = render(data, notes);
        let data_dir = out.join("data");
        for (stem, table) in &page.tables {
            for (ext, f) in [
                ("csv", OutputFormat::Csv),
                ("parquet", OutputFormat::Parquet),
            ] {
                let p = data_dir.join(format!("{stem}.{ext}"));
                kalima_frame::write_file_atomic(table, f, &p)
                    .map_err(|e| failed(format_args!("writing {}", p.display()), &e))?;
            }
        }
        for c in &page.charts {
            write_atomic(&out.join("charts").join(&c.name), &c.bytes)?;
        }
        write_atomic(&out.join("report.md"), page.markdown.as_bytes())?;
        write_atomic(&out.join("index.html"), page.html.as_bytes())?;
        self.staging
            .move_into_place(&self.target)
            .map_err(|e| failed(format_args!("writing {}", self.target.display()), &e))
    }
}

/// Write `bytes` to `path` through a temporary file in the same folder, synced, and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    kalima_fs::write_atomic(path, bytes)
        .map_err(|e| failed(format_args!("writing {}", path.display()), &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_that_is_not_a_report_is_refused_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let mine = dir.path().join("mine");
        std::fs::create_dir(&mine).unwrap();
        std::fs::write(mine.join("notes.txt"), "x").unwrap();
        let e = ReportFolder::prepare(&mine, false).unwrap_err();
        assert!(e.to_string().contains("--force"), "{e}");
        let f = ReportFolder::prepare(&mine, true).unwrap();
        assert_eq!(f.target(), std::fs::canonicalize(&mine).unwrap());
        drop(f);
        // The staging folder is gone with it.
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["mine"]);
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        let e = ReportFolder::prepare(&file, false).unwrap_err();
        assert!(e.to_string().contains("is not a folder"), "{e}");
    }
}
